import { SvelteMap, SvelteSet } from 'svelte/reactivity';
import type { SplitName } from '../../../shared/api/common.js';
import type { Client } from '../../../shared/api/client.js';
import type { ImageDetail, ImageFilter, ImageRow } from '../../../shared/api/library.js';
import type { AuditFlagName } from '../../../shared/api/quality.js';

export const PAGE_SIZE = 200;

export interface Filters {
  classId: number | null;
  split: SplitName | null;
  unlabeled: boolean;
  errors: boolean;
  text: string;
  /** A folder-audit finding (dark, blurry, …), from the Quality view or the filter bar. */
  audit: AuditFlagName | null;
}

/** The pages holding the images [from, to) of a list of `total`. */
function pagesCovering(from: number, to: number, total: number): number[] {
  const pages: number[] = [];
  for (let p = Math.floor(Math.max(0, from) / PAGE_SIZE); p <= Math.floor((Math.min(to, total) - 1) / PAGE_SIZE); p++) pages.push(p);
  return pages;
}

export const noFilters = (): Filters => ({ classId: null, split: null, unlabeled: false, errors: false, text: '', audit: null });

type LabelChange = { imageId: number; classId: number | null };

/**
 * The images of the open dataset that match the filters, fetched a page at a time as the grid
 * scrolls; the cursor and selection; labeling and its undo stack.
 */
export class ImageGridState {
  datasetId = $state<number | null>(null);
  filters = $state<Filters>(noFilters());
  total = $state(0);
  loading = $state(false);
  /**
   * Moves whenever loaded pages are dropped (a reload, a refresh): the grid then says again which
   * images it shows, so rows in view that lost their page load again.
   */
  dropped = $state(0);
  /** Index of the focused image in the filtered list; -1 when none. */
  cursor = $state(-1);
  /** Extra images picked with Ctrl/Cmd or Shift; labeling applies to them and the cursor. */
  readonly selected = new SvelteSet<number>();
  detail = $state.raw<ImageDetail | null>(null);
  undoDepth = $state(0);
  /** The unlabeled queue: only unlabeled images, and each label jumps to the next one. */
  queueMode = $state(false);

  private readonly pages = new SvelteMap<number, ImageRow[]>();
  // Bookkeeping only; nothing renders from it.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private readonly pending = new Set<number>();
  private generation = 0;
  private undoStack: LabelChange[][] = [];
  /** Labels on screen whose call has not finished: a refetch must not take them back. */
  private unsaved: LabelChange[][] = [];
  /** The images the grid shows, [from, to): what a refresh refetches. */
  private inView: [number, number] = [0, 0];
  private detailTimer: ReturnType<typeof setTimeout> | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  current = $derived(this.cursor >= 0 ? this.rowAt(this.cursor) : undefined);
  /** Images still unlabeled in the queue: its query's total less those labeled since it ran. */
  queueLeft = $derived.by(() => {
    if (!this.queueMode) return 0;
    let labeled = 0;
    for (const rows of this.pages.values()) for (const r of rows) if (r.classId !== null) labeled++;
    return Math.max(0, this.total - labeled);
  });
  filtered = $derived(
    this.filters.classId !== null || this.filters.split !== null || this.filters.unlabeled || this.filters.errors || this.filters.text.trim() !== '' || this.filters.audit !== null,
  );

  constructor(
    private readonly client: Client,
    private readonly onError: (err: unknown) => void,
    /** Class names come from the class list, which the grid does not own. */
    private readonly nameOf: (classId: number | null) => string | null,
  ) {}

  rowAt(index: number): ImageRow | undefined {
    return this.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
  }

  private query(): ImageFilter | null {
    if (this.datasetId === null) return null;
    const f = this.filters;
    const text = f.text.trim();
    return {
      datasetId: this.datasetId,
      ...(f.classId !== null ? { classId: f.classId } : {}),
      ...(f.split !== null ? { split: f.split } : {}),
      ...(f.unlabeled ? { unlabeled: true } : {}),
      ...(f.errors ? { hasError: true } : {}),
      ...(text ? { text } : {}),
      ...(f.audit ? { audit: f.audit } : {}),
    };
  }

  /** Starts over: new dataset or new filters. Late answers for the old query are dropped. */
  async reload(keepCursor = false): Promise<void> {
    const generation = ++this.generation;
    const filter = this.query();
    this.pending.clear();
    if (!keepCursor) {
      this.cursor = -1;
      this.selected.clear();
    }
    if (!filter) {
      this.pages.clear();
      this.total = 0;
      return;
    }
    this.loading = true;
    try {
      const page = await this.client.call('images.query', { ...filter, offset: 0, limit: PAGE_SIZE });
      if (generation !== this.generation) return;
      this.pages.clear();
      this.pages.set(0, page.images);
      this.dropped++;
      this.total = page.total;
      if (this.cursor >= page.total) this.cursor = page.total - 1;
      if (this.cursor < 0 && page.total > 0) this.moveTo(0);
      else this.loadDetail();
    } catch (err) {
      if (generation === this.generation) this.onError(err);
    } finally {
      if (generation === this.generation) this.loading = false;
    }
  }

  async openDataset(datasetId: number | null): Promise<void> {
    if (datasetId === this.datasetId) return;
    this.datasetId = datasetId;
    this.queueMode = false;
    this.filters = noFilters();
    this.undoStack = [];
    this.undoDepth = 0;
    this.detail = null;
    await this.reload();
  }

  /** Any filter the person picks ends the unlabeled queue. */
  setFilters(changes: Partial<Filters>): void {
    this.queueMode = false;
    this.filters = { ...this.filters, ...changes };
    void this.reload();
  }

  /** After a class is merged or deleted, old labels may name a class that is gone. */
  clearUndo(): void {
    this.undoStack = [];
    this.undoDepth = 0;
  }

  startQueue(): Promise<void> {
    this.filters = { ...noFilters(), unlabeled: true };
    this.queueMode = true;
    return this.reload();
  }

  stopQueue(): void {
    this.setFilters({ unlabeled: false });
  }

  /** The next loaded image after the cursor still without a label; false when none is loaded. */
  private toNextUnlabeled(): boolean {
    for (let i = this.cursor + 1; i < this.total; i++) {
      const row = this.rowAt(i);
      if (!row) return false;
      if (row.classId === null) {
        this.moveTo(i);
        return true;
      }
    }
    return false;
  }

  /**
   * The grid shows the images [from, to): they load, with a page either side so a fling finds its
   * next rows loaded, and a refresh refetches them.
   */
  show(from: number, to: number): void {
    this.inView = [from, to];
    this.ensure(Math.max(0, from - PAGE_SIZE), to + PAGE_SIZE);
  }

  /**
   * The library changed under the grid (another tab, the CLI in a terminal): refetches the rows in
   * view and the focused one in place, keeping the cursor, the selection and the scroll; the rest
   * load again as they scroll into view. Waits for label calls on their way, and keeps those
   * still unsaved on screen.
   */
  refresh(): Promise<void> {
    return this.enqueue(async () => {
      const filter = this.query();
      if (!filter) return;
      const generation = ++this.generation;
      this.pending.clear();
      const focused = this.current?.id;
      const wanted = pagesCovering(...this.inView, this.total);
      // At least the first page: it tells the new total, so a list that was empty fills too.
      if (wanted.length === 0) wanted.push(0);
      const focusPage = Math.floor(this.cursor / PAGE_SIZE);
      if (this.cursor >= 0 && !wanted.includes(focusPage)) wanted.push(focusPage);
      try {
        const fetchPage = (p: number) => this.client.call('images.query', { ...filter, offset: p * PAGE_SIZE, limit: PAGE_SIZE }).then((page) => [p, page] as const);
        const pages = await Promise.all(wanted.map(fetchPage));
        if (generation !== this.generation) return;
        this.pages.clear();
        for (const [p, page] of pages) {
          this.pages.set(p, page.images);
          this.total = page.total;
        }
        this.dropped++;
        // It stands for any reload it overtook.
        this.loading = false;
        for (const changes of this.unsaved) this.apply(changes);
        // The focused image keeps the focus where it moved to (images before it came or went).
        const moved = focused === undefined ? -1 : this.indexOf(focused);
        this.cursor = moved >= 0 ? moved : Math.min(this.cursor, this.total - 1);
        this.loadDetail();
      } catch (err) {
        if (generation === this.generation) this.onError(err);
      }
    });
  }

  /** Makes sure the pages covering [from, to) are loaded or on their way. */
  ensure(from: number, to: number): void {
    const filter = this.query();
    if (!filter || this.total === 0) return;
    for (const p of pagesCovering(from, to, this.total)) {
      if (this.pages.has(p) || this.pending.has(p)) continue;
      this.pending.add(p);
      const generation = this.generation;
      this.client
        .call('images.query', { ...filter, offset: p * PAGE_SIZE, limit: PAGE_SIZE })
        .then((page) => {
          if (generation !== this.generation) return;
          this.pages.set(p, page.images);
          this.total = page.total;
        })
        .catch((err: unknown) => {
          if (generation === this.generation) this.onError(err);
        })
        .finally(() => {
          if (generation === this.generation) this.pending.delete(p);
        });
    }
  }

  moveTo(index: number, extend = false): void {
    if (this.total === 0) return;
    const next = Math.max(0, Math.min(this.total - 1, index));
    if (extend) {
      const here = this.current;
      if (here) this.selected.add(here.id);
    } else {
      this.selected.clear();
    }
    this.cursor = next;
    if (extend) {
      const row = this.rowAt(next);
      if (row) this.selected.add(row.id);
    }
    this.ensure(next, next + 1);
    this.loadDetail();
  }

  /** Ctrl/Cmd-click toggles one image, Shift-click takes the loaded range from the cursor. */
  click(index: number, mode: 'single' | 'toggle' | 'range'): void {
    const row = this.rowAt(index);
    if (!row) return;
    if (mode === 'toggle') {
      const here = this.current;
      if (here && this.selected.size === 0) this.selected.add(here.id);
      if (this.selected.has(row.id)) this.selected.delete(row.id);
      else this.selected.add(row.id);
      this.cursor = index;
    } else if (mode === 'range' && this.cursor >= 0) {
      const [a, b] = this.cursor < index ? [this.cursor, index] : [index, this.cursor];
      for (let i = a; i <= b; i++) {
        const r = this.rowAt(i);
        if (r) this.selected.add(r.id);
      }
      this.cursor = index;
    } else {
      this.selected.clear();
      this.cursor = index;
    }
    this.loadDetail();
  }

  selectLoaded(): void {
    for (const rows of this.pages.values()) for (const r of rows) this.selected.add(r.id);
  }

  clearSelection(): void {
    this.selected.clear();
  }

  /** The images a label applies to: the selection, or else the focused image. */
  targets(): number[] {
    if (this.selected.size > 0) return [...this.selected];
    const here = this.current;
    return here ? [here.id] : [];
  }

  /**
   * Labels the targets at once on screen and moves on; the calls themselves run one after another
   * so an undo pressed right away waits for the label it undoes. A failed call puts the old labels back.
   */
  label(classId: number | null, advance: boolean): Promise<void> {
    const ids = this.targets();
    if (ids.length === 0) return Promise.resolve();
    const before = ids.map((imageId) => ({ imageId, classId: this.findRow(imageId)?.classId ?? null }));
    const changes = ids.map((imageId) => ({ imageId, classId }));
    this.apply(changes);
    this.unsaved.push(changes);
    // Label and move on, the way people go through a pile of images.
    const single = advance && ids.length === 1 && this.selected.size === 0;
    // The queue's query no longer holds what was labeled: past the loaded rows it starts over.
    const refill = single && this.queueMode && !this.toNextUnlabeled();
    if (single && !this.queueMode && this.cursor < this.total - 1) this.moveTo(this.cursor + 1);
    return this.enqueue(async () => {
      try {
        const result = await this.client.call('images.label', { imageIds: ids, classId });
        this.undoStack.push(result.previous);
        this.undoDepth = this.undoStack.length;
      } catch (err) {
        this.apply(before);
        throw err;
      } finally {
        this.unsaved = this.unsaved.filter((c) => c !== changes);
      }
      if (refill && this.queueMode) await this.reload();
      else this.loadDetail();
    });
  }

  /** Puts back the labels from before the last change; false when there is nothing to undo. */
  undo(): Promise<boolean> {
    return this.enqueue(async () => {
      const labels = this.undoStack.pop();
      this.undoDepth = this.undoStack.length;
      if (!labels || labels.length === 0) return false;
      await this.client.call('images.restoreLabels', { labels });
      this.apply(labels);
      this.loadDetail();
      return true;
    });
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Where a loaded image is in the filtered list; -1 when it is not loaded. */
  private indexOf(imageId: number): number {
    for (const [p, rows] of this.pages) {
      const i = rows.findIndex((r) => r.id === imageId);
      if (i >= 0) return p * PAGE_SIZE + i;
    }
    return -1;
  }

  private findRow(imageId: number): ImageRow | undefined {
    const index = this.indexOf(imageId);
    return index < 0 ? undefined : this.rowAt(index);
  }

  /** Shows label changes in the loaded pages at once, without refetching. */
  private apply(changes: readonly LabelChange[]): void {
    // A lookup local to this call, not state.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const byId = new Map(changes.map((c) => [c.imageId, c.classId]));
    for (const [p, rows] of this.pages) {
      if (!rows.some((r) => byId.has(r.id))) continue;
      this.pages.set(
        p,
        rows.map((r) => {
          const classId = byId.get(r.id);
          return classId === undefined ? r : { ...r, classId, className: this.nameOf(classId) };
        }),
      );
    }
  }

  /** The focused image's full metadata, fetched once the cursor rests. */
  private loadDetail(): void {
    clearTimeout(this.detailTimer);
    const row = this.current;
    if (!row) {
      this.detail = null;
      return;
    }
    if (this.detail && this.detail.id !== row.id) this.detail = null;
    this.detailTimer = setTimeout(() => {
      this.client
        .call('images.get', { imageId: row.id })
        .then((detail) => {
          if (this.current?.id === detail.id) this.detail = detail;
        })
        // An image gone meanwhile (its dataset removed in another tab, say) is no longer shown: nothing to say.
        .catch((err: unknown) => {
          if (this.current?.id === row.id) this.onError(err);
        });
    }, 80);
  }
}
