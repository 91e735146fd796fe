import type { Client } from '../../../shared/api/client.js';
import type { Suspect } from '../../../shared/api/quality.js';
import type { JobState } from './jobs.svelte.js';

export type ReviewAction = 'accept' | 'keep' | 'skip';
type Status = Suspect['status'];

interface Decision {
  imageId: number;
  /** Where the walk stood, to go back there on undo. */
  position: number;
  before: Status;
  /** Labels a relabel with a chosen class changed, to put back on undo (the engine's reopen only undoes the suggestion). */
  restore: { imageId: number; classId: number | null }[];
}

const STATUS_OF: Record<ReviewAction, Status> = { accept: 'accepted', keep: 'kept', skip: 'skipped' };

/**
 * The likely-mislabel review, shared by the labeling view's review mode and the Quality view:
 * the ranked suspects of the open dataset, a walk through the undecided ones (open first, then
 * the ones skipped before), one decision at a time, each undoable.
 */
export class SuspectReview {
  datasetId = $state<number | null>(null);
  suspects = $state.raw<Suspect[]>([]);
  /** Image ids of the walk, fixed while it lasts so positions read "3 of 25". */
  order = $state.raw<number[]>([]);
  position = $state(0);
  /** The labeling view shows the review instead of the grid. */
  active = $state(false);
  loaded = $state(false);
  /** Suspects the last check found in this session; null before one ran. */
  lastFound = $state<number | null>(null);
  undoDepth = $state(0);

  private history: Decision[] = [];
  private chain: Promise<unknown> = Promise.resolve();
  private generation = 0;

  // Rebuilt whenever the list changes and never mutated, so a plain Map.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly byId = $derived(new Map(this.suspects.map((s) => [s.imageId, s])));
  readonly current = $derived(this.position < this.order.length ? (this.byId.get(this.order[this.position]!) ?? null) : null);
  readonly total = $derived(this.order.length);
  /** Suspects still waiting for a first decision. */
  readonly open = $derived(this.suspects.filter((s) => s.status === 'open').length);
  /** How the walk went so far: relabeled, kept and skipped. */
  readonly tally = $derived.by(() => {
    const t = { accepted: 0, kept: 0, skipped: 0 };
    for (const id of this.order.slice(0, this.position)) {
      const status = this.byId.get(id)?.status;
      if (status && status !== 'open') t[status]++;
    }
    return t;
  });
  /** Undecided suspects: what a new walk would go through. */
  readonly undecided = $derived(this.suspects.filter((s) => s.status === 'open' || s.status === 'skipped').length);

  constructor(
    private readonly client: Client,
    private readonly jobs: JobState,
    /** Told when a decision or its undo changed an image's label. */
    private readonly onLabelsChanged: () => void,
  ) {}

  /** Loads the dataset's suspects (fresh from the engine) and starts a new walk. */
  async load(datasetId: number): Promise<void> {
    const generation = ++this.generation;
    if (datasetId !== this.datasetId) {
      this.datasetId = datasetId;
      this.active = false;
      this.loaded = false;
      this.lastFound = null;
      this.suspects = [];
      this.restart();
    }
    const { suspects } = await this.client.call('quality.suspects', { datasetId });
    if (generation !== this.generation) return;
    this.suspects = suspects;
    this.loaded = true;
    this.restart();
  }

  /** A new walk through the undecided suspects, most likely first, earlier skips last. */
  restart(): void {
    const by = (status: Status) => this.suspects.filter((s) => s.status === status).map((s) => s.imageId);
    this.order = [...by('open'), ...by('skipped')];
    this.position = 0;
    this.history = [];
    this.undoDepth = 0;
  }

  /** Runs the k-fold mislabel check as a job and walks the new findings; returns how many it found. */
  async find(): Promise<number> {
    const datasetId = this.datasetId;
    if (datasetId === null) return 0;
    const found = await this.jobs.run('mislabels', 'Finding likely mislabels', (jobId) => this.client.call('quality.findMislabels', { datasetId, jobId }));
    await this.load(datasetId);
    this.lastFound = found.suspects;
    return found.suspects;
  }

  /**
   * Decides on the current suspect and moves on at once; the calls run one after another so an
   * undo pressed right away waits for the decision it undoes. A failed call puts things back.
   */
  decide(action: ReviewAction): Promise<void> {
    const s = this.current;
    if (!s) return Promise.resolve();
    return this.record(s, action, undefined);
  }

  /**
   * Gives the current suspect a class of the person's choosing and moves on: the suggested class is
   * an accept, its own class a keep, any other a relabel (accepted with that class).
   */
  relabel(classId: number): Promise<void> {
    const s = this.current;
    if (!s) return Promise.resolve();
    if (classId === s.suggestedClassId) return this.record(s, 'accept', undefined);
    if (classId === s.givenClassId) return this.record(s, 'keep', undefined);
    return this.record(s, 'accept', classId);
  }

  private record(s: Suspect, action: ReviewAction, classId: number | undefined): Promise<void> {
    const decision: Decision = { imageId: s.imageId, position: this.position, before: s.status, restore: [] };
    this.setStatus(s.imageId, STATUS_OF[action]);
    this.position++;
    return this.enqueue(async () => {
      try {
        const { previous } = await this.client.call('quality.review', { imageId: s.imageId, action, ...(classId === undefined ? {} : { classId }) });
        if (classId !== undefined) decision.restore = previous;
        this.history.push(decision);
        this.undoDepth = this.history.length;
        if (previous.length) this.onLabelsChanged();
      } catch (err) {
        this.setStatus(s.imageId, decision.before);
        this.position = decision.position;
        throw err;
      }
    });
  }

  /** Takes back the last decision (an accepted suggestion gets its old label back); false when there is none. */
  undo(): Promise<boolean> {
    return this.enqueue(async () => {
      const last = this.history.pop();
      this.undoDepth = this.history.length;
      if (!last) return false;
      const { previous } = await this.client.call('quality.review', { imageId: last.imageId, action: 'reopen' });
      if (last.restore.length) await this.client.call('images.restoreLabels', { labels: last.restore });
      this.setStatus(last.imageId, 'open');
      this.position = last.position;
      if (previous.length || last.restore.length) this.onLabelsChanged();
      return true;
    });
  }

  private setStatus(imageId: number, status: Status): void {
    this.suspects = this.suspects.map((x) => (x.imageId === imageId ? { ...x, status } : x));
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.chain.then(work);
    this.chain = next.catch(() => undefined);
    return next;
  }
}
