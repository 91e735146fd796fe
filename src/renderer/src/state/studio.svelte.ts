import type { ComparisonStatus } from '../../../shared/api/compare.js';
import type { ImportResult } from '../../../shared/api/library.js';
import type { RunStatus } from '../../../shared/api/train.js';
import type { Backend } from '../lib/backend.js';
import { plural } from '../lib/format.js';
import { AppState, isViewId } from './app.svelte.js';
import { AugmentState } from './augment.svelte.js';
import { ExportWizard } from './export.svelte.js';
import { ImageGridState } from './images.svelte.js';
import { JobState } from './jobs.svelte.js';
import { LibraryState } from './library.svelte.js';
import { ResultsState } from './results.svelte.js';
import { SuspectReview } from './suspect-review.svelte.js';
import { TrainState } from './train.svelte.js';
import { hasEnded } from './training-pace.svelte.js';

/** Characters of a comparison's verdict a toast shows in full (about five lines). */
const LONG_VERDICT = 240;

/** The whole UI's state and the actions that span more than one part of it. */
export class Studio {
  readonly app: AppState;
  readonly library: LibraryState;
  readonly grid: ImageGridState;
  /** The Augment editor: kept while the person switches views. */
  readonly augment: AugmentState;
  readonly jobs: JobState;
  readonly train: TrainState;
  readonly results: ResultsState;
  readonly exportWizard: ExportWizard;
  /** Likely mislabels to review: the labeling view's review mode and the Quality view share it. */
  readonly review: SuspectReview;
  /** The browser's path field; the desktop app uses the native dialog instead. */
  importDialogOpen = $state(false);
  private countsTimer: ReturnType<typeof setTimeout> | undefined;
  /** The open dataset changed (here, in another tab or from a terminal): its rows in view refetch with the counts. */
  private gridStale = false;

  constructor(readonly backend: Backend) {
    const client = backend.client;
    this.app = new AppState(backend);
    this.library = new LibraryState(client);
    this.jobs = new JobState(client);
    this.results = new ResultsState(client);
    this.train = new TrainState(
      client,
      (id, status, verdict) => void this.comparisonSettled(id, status, verdict),
      (runId, status, error) => this.runSettled(runId, status, error),
    );
    this.exportWizard = new ExportWizard(client);
    this.augment = new AugmentState(client);
    this.grid = new ImageGridState(
      client,
      (err) => this.app.fail(err),
      (classId) => this.library.classById(classId)?.name ?? null,
    );
    this.review = new SuspectReview(client, this.jobs, () => this.refreshCountsSoon());
  }

  /** Loads what the first screen needs and listens to the engine; returns the cleanup. */
  start(): () => void {
    const client = this.backend.client;
    void this.app.load();
    void this.library
      .refresh()
      .then(() => this.grid.openDataset(this.library.currentId))
      .catch((err: unknown) => this.app.fail(err));
    const offChanged = client.on('library.changed', ({ datasetId }) => {
      if (datasetId === this.grid.datasetId) this.gridStale = true;
      this.refreshCountsSoon();
    });
    const offMenu = client.on('app.menu', (m) => {
      if (m.command === 'open-folder') void this.importFolder();
      else if (m.command === 'create-sample') void this.createSample();
      else if (m.command === 'rescan') void this.rescan();
      else if (m.command === 'undo') this.undoFromMenu();
      else if (m.command === 'view' && isViewId(m.view)) this.app.view = m.view;
    });
    const offJobs = this.jobs.listen();
    const offTrain = this.train.listen();
    this.train.resume().catch((err: unknown) => this.app.fail(err));
    // Training this page did not follow (it was busy with its own) still ends up in Results.
    const offRunEnded = client.on('run.status', (s) => {
      if (s.comparisonId === null && hasEnded(s.status) && this.train.liveRun?.runId !== s.runId) void this.results.refresh();
    });
    const offComparisonEnded = client.on('compare.progress', (p) => {
      if (hasEnded(p.status) && this.train.live?.comparisonId !== p.comparisonId) void this.results.refresh();
    });
    return () => {
      offChanged();
      offMenu();
      offJobs();
      offTrain();
      offRunEnded();
      offComparisonEnded();
      clearTimeout(this.countsTimer);
    };
  }

  /** Opens a comparison in the Results view. */
  openComparison(comparisonId: number): void {
    this.app.view = 'results';
    void this.results.open({ kind: 'comparison', id: comparisonId }).then(() => this.results.refresh());
  }

  /** Continues a stopped single run from its checkpoint and shows it training (a refusal stays on the run, in train.resumeError). */
  async resumeRun(runId: string): Promise<void> {
    if (!(await this.train.resumeRun(runId))) return;
    this.results.forget(runId);
    this.app.view = 'train';
    void this.results.refresh();
  }

  private runSettled(runId: string, status: RunStatus, error: string | null): void {
    this.results.forget(runId);
    if (status === 'done') this.app.notify('Model trained; its curves and metrics are in Results.');
    else if (status === 'cancelled') this.app.notify('Training cancelled.');
    else this.app.notify(`Training failed: ${error ?? 'see Results for why'}`, 'error');
    void this.results.refresh();
  }

  private async comparisonSettled(comparisonId: number, status: ComparisonStatus, verdict: string | null): Promise<void> {
    await this.results.refresh();
    if (status === 'done') {
      // A comparison that finished without some of its runs is not a plain success.
      const failed = this.results.comparisons.find((c) => c.id === comparisonId)?.failed ?? 0;
      const kind = failed > 0 ? 'warning' : 'info';
      // A long verdict (a learning curve has one per fraction) waits behind Details instead of filling the corner.
      if (verdict && verdict.length > LONG_VERDICT) this.app.notify('Comparison finished; its verdict is in Results.', kind, verdict);
      else this.app.notify(verdict ? `Comparison finished: ${verdict}` : 'Comparison finished.', kind);
    } else if (status === 'cancelled') this.app.notify('Comparison cancelled; finished runs are kept.');
    else this.app.notify(`Comparison ${comparisonId} ended with failed runs; see Results for why.`, 'error');
  }

  async selectDataset(datasetId: number): Promise<void> {
    await this.library.select(datasetId);
    await this.grid.openDataset(datasetId);
  }

  /** Desktop: the native dialog. Browser: the path field. */
  async importFolder(): Promise<void> {
    if (this.jobs.busy) return;
    if (!this.app.info?.canPickFolder) {
      this.importDialogOpen = true;
      return;
    }
    try {
      const { path } = await this.backend.client.call('app.pickFolder', { title: 'Import a folder of images' });
      if (path) await this.importPath(path);
    } catch (err) {
      this.app.fail(err);
    }
  }

  async importPath(path: string, name?: string): Promise<void> {
    this.importDialogOpen = false;
    await this.runImport('Importing folder', (jobId) =>
      this.backend.client.call('datasets.import', { path, jobId, ...(name ? { name } : {}) }),
    );
  }

  async createSample(): Promise<void> {
    await this.runImport('Creating the sample dataset', (jobId) => this.backend.client.call('datasets.createSample', { jobId }));
  }

  private async runImport(title: string, start: (jobId: string) => Promise<ImportResult>): Promise<void> {
    if (this.jobs.busy) return;
    try {
      const result = await this.jobs.run('import', title, start);
      await this.library.refresh();
      await this.selectDataset(result.datasetId);
      // Same dataset id as before (a re-import): reload what the grid shows.
      await Promise.all([this.library.refreshClasses(), this.grid.reload()]);
      this.app.view = 'library';
      const parts = [plural(result.imported, 'image'), plural(Object.keys(result.classes).length, 'class', 'classes')];
      if (result.duplicates) parts.push(plural(result.duplicates, 'duplicate'));
      if (result.errors.length) parts.push(plural(result.errors.length, 'unreadable file'));
      this.app.notify(`Imported ${parts.join(', ')} in ${result.seconds.toFixed(1)} s.`);
    } catch (err) {
      if ((err as { code?: string }).code === 'cancelled') this.app.notify('Import cancelled; the library is unchanged.');
      else this.app.fail(err);
    }
  }

  /** 1–9 in the mislabel review: the current suspect gets the nth class. */
  relabelSuspect(classIndex: number): void {
    const cls = this.library.classes[classIndex];
    if (!cls) {
      this.app.notify(`There is no class ${classIndex + 1}; this dataset has ${plural(this.library.classes.length, 'class', 'classes')}.`, 'error');
      return;
    }
    this.review.relabel(cls.id).catch((err: unknown) => this.app.fail(err));
  }

  async labelWith(classIndex: number | null): Promise<void> {
    let classId: number | null = null;
    if (classIndex !== null) {
      const cls = this.library.classes[classIndex];
      if (!cls) {
        this.app.notify(`There is no class ${classIndex + 1}; this dataset has ${plural(this.library.classes.length, 'class', 'classes')}.`, 'error');
        return;
      }
      classId = cls.id;
    }
    await this.setClass(classId, true);
  }

  /** `advance`: keyboard labeling moves on to the next image; picking from the list stays. */
  async setClass(classId: number | null, advance = false): Promise<void> {
    try {
      await this.grid.label(classId, advance);
      this.refreshCountsSoon();
    } catch (err) {
      this.app.fail(err);
    }
  }

  /** Undo in the labeling view: the last review decision while reviewing, else the last label. */
  async undo(): Promise<void> {
    try {
      if (this.review.active ? await this.review.undo() : await this.grid.undo()) this.refreshCountsSoon();
      else this.app.notify('Nothing to undo.');
    } catch (err) {
      this.app.fail(err);
    }
  }

  /** Undo from the menu: text fields keep their own undo. */
  private undoFromMenu(): void {
    const el = document.activeElement;
    if (el instanceof HTMLElement && el.matches('input, textarea')) document.execCommand('undo');
    else if (this.app.view === 'library') void this.undo();
    else if (this.app.view === 'quality') this.review.undo().catch((err: unknown) => this.app.fail(err));
  }

  /** Opens the labeling view's review of likely mislabels for the current dataset. */
  async startReview(): Promise<void> {
    const datasetId = this.library.currentId;
    if (datasetId === null) return;
    this.app.view = 'library';
    const loading = this.review.load(datasetId);
    this.review.active = true;
    try {
      await loading;
    } catch (err) {
      this.app.fail(err);
    }
  }

  /** The k-fold mislabel check (a job) for the dataset the review is on. */
  async findMislabels(): Promise<void> {
    if (this.jobs.busy) return;
    try {
      const n = await this.review.find();
      this.app.notify(n ? `${plural(n, 'likely mislabel')} to review.` : 'No likely mislabels: the held-out models agree with every label they were sure about.');
    } catch (err) {
      if ((err as { code?: string }).code === 'cancelled') this.app.notify('Mislabel check cancelled; earlier findings are kept.');
      else this.app.fail(err);
    }
  }

  /** Back to the grid, which shows the labels the review changed. */
  leaveReview(): void {
    this.review.active = false;
    void this.grid.reload(true);
  }

  async createClass(name: string): Promise<boolean> {
    try {
      const created = await this.library.createClass(name);
      if (created) this.app.notify(`Class “${created.name}” created.`);
      return true;
    } catch (err) {
      this.app.fail(err);
      return false;
    }
  }

  async rescan(): Promise<void> {
    const id = this.library.currentId;
    if (id === null || this.jobs.busy) return;
    try {
      const r = await this.jobs.run('rescan', 'Rescanning', (jobId) => this.backend.client.call('datasets.rescan', { datasetId: id, jobId }));
      await Promise.all([this.library.refreshCounts(), this.grid.reload(true)]);
      const changes = [`${r.added} added`, `${r.removed} removed`, `${r.changed} changed`, `${r.moved} moved`];
      this.app.notify(`Rescan: ${changes.join(', ')}.`);
    } catch (err) {
      this.app.fail(err);
    }
  }

  async removeDataset(): Promise<void> {
    const d = this.library.current;
    if (!d) return;
    if (!window.confirm(`Forget “${d.name}”? Its ${plural(d.images, 'image')} stay on disk untouched; only the library entry, labels and thumbnails go.`)) return;
    try {
      await this.library.remove(d.id);
      await this.grid.openDataset(this.library.currentId);
    } catch (err) {
      this.app.fail(err);
    }
  }

  /**
   * Counts follow labels; many quick labels refresh them once. Then the grid follows the list: a
   * dataset removed elsewhere closes (another opens), and a changed open one refetches its rows.
   */
  private refreshCountsSoon(): void {
    clearTimeout(this.countsTimer);
    this.countsTimer = setTimeout(() => {
      this.library
        .refreshCounts()
        .then(() => {
          if (this.grid.datasetId !== this.library.currentId) return this.grid.openDataset(this.library.currentId);
          if (!this.gridStale) return;
          this.gridStale = false;
          return this.grid.refresh();
        })
        .catch((err: unknown) => this.app.fail(err));
    }, 200);
  }
}
