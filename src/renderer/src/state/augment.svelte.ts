import type { Output } from '../../../shared/api/index.js';
import type { OpDescriptor, PipelineIssueInfo, PipelineSpec, PipelineSummary } from '../../../shared/api/augment.js';
import type { Client } from '../../../shared/api/client.js';
import type { ImageRow } from '../../../shared/api/library.js';
import { errorText } from '../lib/format.js';
import { countOps, entriesFrom, moveWithin, newEntry, obviouslyInvalid, pipelineOf, shapeOf, type Entry } from './augment-entries.js';

type Preview = Output<'augment.preview'>;
type Strip = Output<'augment.opStrip'>;

interface Request {
  key: number;
  startedAt: number;
  imageId: number;
  seed: number;
  pipeline: PipelineSpec;
}

const DRAFT_KEY = 'smallset.augment.draft';
const PREVIEW_SIZE = 256;
const STRIP_SIZE = 160;
const MAX_SEED = 2 ** 32 - 1;

interface Draft {
  name: string | null;
  seed: number;
  pipeline: PipelineSpec;
  disabled: number[];
}

/**
 * The pipeline being edited, the image it is previewed on, and the previews. Previews run one at a
 * time: while one renders, only the newest wanted one waits, so a slider drag never queues up work
 * and never shows an older result after a newer one.
 */
export class AugmentState {
  ops = $state.raw<OpDescriptor[]>([]);
  fillModes = $state.raw<string[]>([]);
  catalogueError = $state<string | null>(null);
  entries = $state<Entry[]>([]);
  seed = $state(0);
  /** The saved pipeline this one was loaded from or saved as. */
  name = $state<string | null>(null);
  dirty = $state(false);

  datasetId = $state<number | null>(null);
  image = $state.raw<ImageRow | null>(null);
  noImages = $state(false);

  preview = $state.raw<Preview | null>(null);
  previewError = $state<string | null>(null);
  previewBusy = $state(false);
  /** Increases with every preview shown; tests and the latency readout follow it. */
  rendered = $state(0);
  /** From the change that asked for the shown preview to its arrival, in ms. */
  latencyMs = $state<number | null>(null);

  showStrip = $state(true);
  strip = $state.raw<Strip | null>(null);
  stripError = $state<string | null>(null);
  stripBusy = $state(false);

  issues = $state.raw<PipelineIssueInfo[]>([]);
  saved = $state.raw<PipelineSummary[]>([]);

  // Rebuilt whole when the catalogue loads; never changed in place.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  byId = $derived(new Map(this.ops.map((o) => [o.id, o])));
  /** What the previews use: switched-off ops left out. */
  enabledPipeline = $derived(pipelineOf(this.entries, true, this.byId));
  /** Everything in the editor, so issue paths match the list as drawn. */
  fullPipeline = $derived(pipelineOf(this.entries, false, this.byId));
  enabledJson = $derived(JSON.stringify(this.enabledPipeline));
  fullJson = $derived(JSON.stringify(this.fullPipeline));
  opCount = $derived(countOps(this.entries));
  disabledCount = $derived(this.opCount - countOps(pruneDisabled(this.entries)));

  private previewTimer: ReturnType<typeof setTimeout> | undefined;
  private stripTimer: ReturnType<typeof setTimeout> | undefined;
  private validateTimer: ReturnType<typeof setTimeout> | undefined;
  private issued = 0;
  private wanted: Request | null = null;
  private running = false;
  private stripKey = '';
  /** The last enabled pipeline the engine accepted; the strip renders only that. */
  private validJson = '';
  private validShape = '';
  private validation = 0;
  private imageQuery = 0;

  private loaded = false;

  constructor(private readonly client: Client) {}

  /** Loads the catalogue, saved pipelines and draft the first time the editor is shown. */
  ensureLoaded(): void {
    if (this.loaded) return;
    this.loaded = true;
    void this.load();
  }

  async load(): Promise<void> {
    try {
      const [catalogue, saved] = await Promise.all([this.client.call('augment.ops'), this.client.call('pipelines.list')]);
      this.ops = catalogue.ops;
      this.fillModes = catalogue.fillModes;
      this.saved = saved.pipelines;
      this.catalogueError = null;
      await this.restoreDraft();
    } catch (err) {
      this.catalogueError = errorText(err);
    }
  }

  // ── The pipeline ────────────────────────────────────────────────────────────

  add(opId: string, into: Entry[] = this.entries): Entry | null {
    const desc = this.byId.get(opId);
    if (!desc) return null;
    const entry = newEntry(desc);
    into.push(entry);
    this.changed();
    return into[into.length - 1]!;
  }

  remove(list: Entry[], index: number): void {
    list.splice(index, 1);
    this.changed();
  }

  move(list: Entry[], from: number, to: number): boolean {
    const moved = moveWithin(list, from, to);
    if (moved) this.changed();
    return moved;
  }

  clear(): void {
    this.entries = [];
    this.name = null;
    this.changed();
  }

  /** Called after any edit: marks the pipeline unsaved and keeps the draft. */
  changed(): void {
    this.dirty = true;
    this.saveDraft();
  }

  reseed(): void {
    this.seed = Math.floor(Math.random() * MAX_SEED);
    this.saveDraft();
  }

  setSeed(value: number): void {
    if (!Number.isInteger(value) || value < 0 || value > MAX_SEED) return;
    this.seed = value;
    this.saveDraft();
  }

  /** Replaces the editor's pipeline with one from outside, written out in full by the engine first. */
  async replace(pipeline: unknown, name: string | null, disabled: readonly number[] = []): Promise<PipelineIssueInfo[]> {
    const r = await this.client.call('augment.validatePipeline', { pipeline });
    if (!r.canonical) return r.issues;
    const entries = entriesFrom(r.canonical.ops);
    entries.forEach((e, i) => (e.enabled = !disabled.includes(i)));
    this.entries = entries;
    this.name = name;
    this.dirty = false;
    this.issues = [];
    this.saveDraft();
    return [];
  }

  // ── Saved pipelines ─────────────────────────────────────────────────────────

  async refreshSaved(): Promise<void> {
    this.saved = (await this.client.call('pipelines.list')).pipelines;
  }

  async save(name: string): Promise<void> {
    const summary = await this.client.call('pipelines.save', { name, pipeline: this.enabledPipeline, overwrite: true });
    this.name = summary.name;
    this.dirty = false;
    this.saveDraft();
    await this.refreshSaved();
  }

  async open(name: string): Promise<void> {
    const { pipeline } = await this.client.call('pipelines.get', { name });
    const issues = await this.replace(pipeline, name);
    if (issues.length) throw new Error(`The saved pipeline “${name}” no longer checks out: ${issues[0]!.message}`);
  }

  async deleteSaved(name: string): Promise<void> {
    await this.client.call('pipelines.delete', { name });
    if (this.name === name) this.name = null;
    await this.refreshSaved();
  }

  // ── The preview image ───────────────────────────────────────────────────────

  /** Follows the library's dataset; keeps the chosen image while it belongs to it. */
  async useDataset(datasetId: number | null, librarySelection: ImageRow | undefined): Promise<void> {
    if (datasetId === this.datasetId && (this.image || this.noImages)) return;
    this.datasetId = datasetId;
    this.noImages = false;
    if (datasetId === null) {
      this.image = null;
      return;
    }
    if (this.image?.datasetId === datasetId) return;
    if (librarySelection?.datasetId === datasetId && !librarySelection.error) {
      this.image = librarySelection;
      return;
    }
    const query = ++this.imageQuery;
    const { images } = await this.client.call('images.query', { datasetId, hasError: false, limit: 1 });
    if (query !== this.imageQuery) return;
    this.image = images[0] ?? null;
    this.noImages = images.length === 0;
  }

  pickImage(row: ImageRow): void {
    this.imageQuery++;
    this.image = row;
    this.noImages = false;
  }

  // ── Previews ────────────────────────────────────────────────────────────────

  /** Asks for a preview of the current pipeline; a frame's worth of quiet first, so one drag step is one request. */
  requestPreview(): void {
    clearTimeout(this.previewTimer);
    // The strip waits for a quiet moment; it must not hold up the next step of a drag.
    clearTimeout(this.stripTimer);
    const startedAt = performance.now();
    this.previewTimer = setTimeout(() => this.want(startedAt), 16);
  }

  private want(startedAt: number): void {
    const image = this.image;
    if (!image) return;
    this.wanted = { key: ++this.issued, startedAt, imageId: image.id, seed: this.seed, pipeline: this.enabledPipeline };
    if (!this.running) void this.pump();
  }

  private async pump(): Promise<void> {
    this.running = true;
    this.previewBusy = true;
    while (this.wanted) {
      const req = this.wanted;
      this.wanted = null;
      try {
        // A pipeline the engine would refuse is not sent: its fields are marked instead, and the last good preview stays.
        // A drag changes only numbers: when the rest matches a pipeline the engine accepted and the
        // numbers are within their ranges, the round trip to the engine's validation is skipped.
        const shape = shapeOf(req.pipeline);
        const quick = shape === this.validShape && !obviouslyInvalid(req.pipeline.ops, this.byId);
        if (!quick && !(await this.client.call('augment.validatePipeline', { pipeline: req.pipeline })).valid) {
          if (!this.wanted) this.previewError = 'The pipeline has a problem (marked in red); the preview shows it as it was before.';
          continue;
        }
        this.validShape = shape;
        this.validJson = JSON.stringify(req.pipeline);
        const r = await this.client.call('augment.preview', {
          imageId: req.imageId,
          pipeline: req.pipeline,
          seed: req.seed,
          n: 9,
          size: PREVIEW_SIZE,
          format: 'jpeg',
        });
        // A newer request already waiting will replace this at once; still show it, it is newer than what is on screen.
        this.preview = r;
        this.previewError = null;
        this.latencyMs = performance.now() - req.startedAt;
        this.rendered++;
      } catch (err) {
        if (!this.wanted) this.previewError = errorText(err);
      }
    }
    this.running = false;
    this.previewBusy = false;
    this.requestStrip();
  }

  /** The strip is slower and less urgent: it follows once the previews have settled. */
  requestStrip(force = false): void {
    clearTimeout(this.stripTimer);
    if (!this.showStrip || !this.image) return;
    const key = `${this.image.id}|${this.seed}|${this.enabledJson}`;
    if (!force && key === this.stripKey) return;
    this.stripTimer = setTimeout(() => void this.runStrip(key), 250);
  }

  private async runStrip(key: string): Promise<void> {
    const image = this.image;
    if (image && this.enabledJson !== this.validJson) return;
    if (!image || this.running || this.stripBusy) {
      if (image) this.stripTimer = setTimeout(() => void this.runStrip(key), 250);
      return;
    }
    this.stripBusy = true;
    try {
      const r = await this.client.call('augment.opStrip', { imageId: image.id, pipeline: this.enabledPipeline, seed: this.seed, size: STRIP_SIZE, format: 'jpeg' });
      this.strip = r;
      this.stripError = null;
      this.stripKey = key;
    } catch (err) {
      this.stripError = errorText(err);
      this.stripKey = key;
    } finally {
      this.stripBusy = false;
    }
    // Changed while it rendered: once more.
    if (this.image && `${this.image.id}|${this.seed}|${this.enabledJson}` !== this.stripKey) this.requestStrip();
  }

  // ── Validation ──────────────────────────────────────────────────────────────

  validateSoon(): void {
    clearTimeout(this.validateTimer);
    this.validateTimer = setTimeout(() => void this.validate(), 120);
  }

  private async validate(): Promise<void> {
    const mine = ++this.validation;
    try {
      const r = await this.client.call('augment.validatePipeline', { pipeline: this.fullPipeline });
      if (mine === this.validation) this.issues = r.issues;
    } catch (err) {
      if (mine === this.validation) this.issues = [{ at: '', op: null, field: null, message: errorText(err) }];
    }
  }

  // ── The draft survives a reload ─────────────────────────────────────────────

  private saveDraft(): void {
    try {
      const disabled = this.entries.flatMap((e, i) => (e.enabled ? [] : [i]));
      const draft: Draft = { name: this.name, seed: this.seed, pipeline: this.fullPipeline, disabled };
      localStorage.setItem(DRAFT_KEY, JSON.stringify(draft));
    } catch {
      // Storage full or off: the draft is a convenience.
    }
  }

  private async restoreDraft(): Promise<void> {
    let draft: Draft;
    try {
      const text = localStorage.getItem(DRAFT_KEY);
      if (!text) return;
      draft = JSON.parse(text) as Draft;
    } catch {
      return;
    }
    if (Number.isInteger(draft.seed)) this.seed = draft.seed;
    const issues = await this.replace(draft.pipeline, draft.name ?? null, Array.isArray(draft.disabled) ? draft.disabled : []);
    if (issues.length) localStorage.removeItem(DRAFT_KEY);
  }
}

function pruneDisabled(list: readonly Entry[]): Entry[] {
  return list.filter((e) => e.enabled).map((e) => ({ ...e, children: pruneDisabled(e.children) }));
}
