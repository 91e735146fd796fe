import type { PipelineSummary } from '../../../shared/api/augment.js';
import type { Client } from '../../../shared/api/client.js';
import type { ArmSpecInput, CompareStartInput, ComparisonStatus, PresetId, PresetInfo } from '../../../shared/api/compare.js';
import type { RunStatus, TrainConfigInput } from '../../../shared/api/train.js';
import type { BackboneInfo, TransferMode } from '../../../shared/api/transfer.js';
import { errorText } from '../lib/format.js';
import { LiveComparison } from './live-comparison.svelte.js';
import { LiveRun } from './live-run.svelte.js';
import { hasEnded } from './training-pace.svelte.js';

export type ArmValue = number | boolean | string | null;

export interface ArmDraft {
  key: number;
  name: string;
  /** A saved pipeline's name; null trains on the images as they are. */
  pipeline: string | null;
  /** Only the options the person set; the rest take the training defaults. */
  values: Record<string, ArmValue>;
  /** Reuse a cached backbone instead of training from scratch. */
  transfer: { backbone: string; mode: TransferMode } | null;
}

export const SIZES = [16, 24, 32, 48, 64, 96, 128] as const;

/** The Train & compare form, and the comparison (or the one model) training now. */
export class TrainState {
  presets = $state.raw<PresetInfo[]>([]);
  pipelines = $state.raw<PipelineSummary[]>([]);
  backbones = $state.raw<BackboneInfo[]>([]);
  /** Backbone for a preset that needs one. */
  backbone = $state<string | null>(null);
  loadError = $state<string | null>(null);
  private loaded = false;

  /** A preset comparison, arms built by hand, or one model trained alone. */
  mode = $state<'preset' | 'custom' | 'single'>('preset');
  preset = $state<PresetId>('raw-vs-aug');
  /** Pipeline for a preset: a saved one by name, or null for the built-in mild pipeline. */
  pipeline = $state<string | null>(null);
  arms = $state<ArmDraft[]>([]);
  baseline = $state('');
  repeats = $state(3);
  epochs = $state(20);
  size = $state(64);
  batchSize = $state(32);
  fractionsText = $state('');
  name = $state('');

  starting = $state(false);
  startError = $state<string | null>(null);
  live = $state.raw<LiveComparison | null>(null);
  /** The single model training now (or just finished); shown instead of a comparison. */
  liveRun = $state.raw<LiveRun | null>(null);
  /** The settings of the one model ("One model" mode): an arm without a name or baseline. */
  single = $state<ArmDraft>({ key: 0, name: 'model', pipeline: null, values: {}, transfer: null });
  /**
   * Why the last resume was refused, for the run it was asked for. It stands only while its cause
   * may: a change to the run's dataset (null: not known) or following another run clears it.
   */
  resumeError = $state.raw<{ runId: string; datasetId: number | null; message: string } | null>(null);
  resuming = $state<string | null>(null);
  private nextKey = 1;

  constructor(
    private readonly client: Client,
    private readonly onSettled: (comparisonId: number, status: ComparisonStatus, verdict: string | null) => void,
    private readonly onRunSettled: (runId: string, status: RunStatus, error: string | null) => void = () => undefined,
  ) {
    this.arms = [this.draft('raw', null), this.draft('augmented', null)];
  }

  get presetInfo(): PresetInfo | undefined {
    return this.presets.find((p) => p.id === this.preset);
  }

  /** What is training now, for the top bar's badge on other views; null when nothing is. */
  get active(): LiveComparison | LiveRun | null {
    if (this.liveRun && !this.liveRun.finished) return this.liveRun;
    return this.live && !this.live.finished ? this.live : null;
  }

  get busy(): boolean {
    return this.starting || (this.live !== null && !this.live.finished) || (this.liveRun !== null && !this.liveRun.finished);
  }

  /** Runs this form would queue (custom arms; a preset's arm count is known once it starts). */
  get armCount(): number | null {
    if (this.mode === 'single') return 1;
    if (this.mode === 'custom') return this.arms.length;
    const info = this.presetInfo;
    // An ablation's arms follow the pipeline's ops; the listed names are for the built-in one.
    if (!info?.armNames.length || (info.id === 'ablation' && this.pipeline !== null)) return null;
    return info.armNames.length;
  }

  get runCount(): number | null {
    if (this.mode === 'single') return 1;
    const arms = this.armCount;
    return arms === null ? null : arms * this.repeats * Math.max(1, this.fractions().length);
  }

  draft(name: string, pipeline: string | null, values: Record<string, ArmValue> = {}): ArmDraft {
    return { key: this.nextKey++, name, pipeline, values, transfer: null };
  }

  addArm(template: 'raw' | 'augmented' | 'regularized'): void {
    const taken = this.arms.map((a) => a.name);
    const unique = (base: string) => {
      let n = base;
      for (let i = 2; taken.includes(n); i++) n = `${base} ${i}`;
      return n;
    };
    const pipe = this.pipelines[0]?.name ?? null;
    if (template === 'raw') this.arms.push(this.draft(unique('raw'), null));
    else if (template === 'augmented') this.arms.push(this.draft(unique('augmented'), pipe));
    else this.arms.push(this.draft(unique('regularized'), pipe, { l2: 0.001, dropout: 0.5, earlyStopping: 5 }));
  }

  removeArm(key: number): void {
    this.arms = this.arms.filter((a) => a.key !== key);
  }

  fractions(): number[] {
    const text = this.fractionsText.trim();
    if (!text) return [];
    return text
      .split(/[\s,;]+/)
      .filter(Boolean)
      .map((t) => (t.endsWith('%') ? Number(t.slice(0, -1)) / 100 : Number(t)));
  }

  async load(): Promise<void> {
    try {
      const [{ presets }, { pipelines }, { backbones }] = await Promise.all([
        this.client.call('compare.presets'),
        this.client.call('pipelines.list'),
        // The model cache is optional: without it there is just nothing to reuse.
        this.client.call('backbones.list').catch(() => ({ backbones: [] as BackboneInfo[] })),
      ]);
      this.presets = presets;
      this.pipelines = pipelines;
      this.backbones = backbones;
      if (!this.backbone || !backbones.some((b) => b.name === this.backbone)) this.backbone = backbones[0]?.name ?? null;
      this.loadError = null;
      if (!this.loaded) this.choosePreset(this.preset);
      this.loaded = true;
    } catch (err) {
      this.loadError = errorText(err);
    }
  }

  choosePreset(id: PresetId): void {
    this.preset = id;
    const info = this.presets.find((p) => p.id === id);
    this.fractionsText = info && info.fractions.length > 1 ? info.fractions.join(', ') : '';
  }

  /** Picks up a comparison or single run still training (after a reload, or one started from the CLI). */
  async resume(): Promise<void> {
    if (this.live || this.liveRun) return;
    const { comparisons } = await this.client.call('compare.list');
    const active = comparisons.find((c) => c.status === 'running' || c.status === 'queued');
    if (active) return this.follow(active.id);
    const { runs } = await this.client.call('runs.list', { limit: 50 });
    const run = runs.find((r) => r.comparisonId === null && (r.status === 'running' || r.status === 'queued'));
    if (run) await this.followRun(run.id);
  }

  async start(datasetId: number): Promise<void> {
    if (this.busy) return;
    this.starting = true;
    this.startError = null;
    try {
      if (this.mode === 'single') {
        const { runId } = await this.client.call('train.start', await this.singleInput(datasetId));
        this.live = null;
        await this.followRun(runId);
        return;
      }
      const input = await this.input(datasetId);
      const { comparisonId } = await this.client.call('compare.start', input);
      this.liveRun = null;
      await this.follow(comparisonId);
    } catch (err) {
      this.startError = errorText(err);
    } finally {
      this.starting = false;
    }
  }

  async cancel(): Promise<void> {
    const live = this.live;
    if (!live || live.finished || live.cancelling) return;
    live.cancelling = true;
    try {
      await this.client.call('compare.cancel', { comparisonId: live.comparisonId });
    } catch (err) {
      live.cancelling = false;
      throw err;
    }
  }

  async cancelRun(): Promise<void> {
    const run = this.liveRun;
    if (!run || run.finished || run.cancelling) return;
    run.cancelling = true;
    try {
      await this.client.call('train.cancel', { runId: run.runId });
    } catch (err) {
      run.cancelling = false;
      throw err;
    }
  }

  /**
   * Continues a failed or cancelled single run from its last checkpoint and follows it here.
   * False when the engine refused (the reason is in resumeError).
   */
  async resumeRun(runId: string): Promise<boolean> {
    if (this.busy || this.resuming) return false;
    this.resuming = runId;
    this.resumeError = null;
    try {
      const { fromEpoch } = await this.client.call('runs.resume', { runId });
      this.live = null;
      await this.followRun(runId, fromEpoch);
      return true;
    } catch (err) {
      const message = errorText(err);
      const datasetId = await this.client.call('runs.get', { runId }).then(
        (r) => r.datasetId,
        () => null,
      );
      this.resumeError = { runId, datasetId, message };
      return false;
    } finally {
      this.resuming = null;
    }
  }

  dismiss(): void {
    if (this.live?.finished) this.live = null;
    if (this.liveRun?.finished) {
      if (this.resumeError?.runId === this.liveRun.runId) this.resumeError = null;
      this.liveRun = null;
    }
  }

  /** Subscribes to the engine's events; returns the cleanup. */
  listen(): () => void {
    const offs = [
      // Relabeled, resplit or rescanned: what made the engine refuse may be undone now; a new try says.
      this.client.on('library.changed', ({ datasetId }) => {
        const refused = this.resumeError;
        if (refused && (refused.datasetId === null || refused.datasetId === datasetId)) this.resumeError = null;
      }),
      this.client.on('compare.progress', (p) => {
        if (!hasEnded(p.status)) this.adopt({ comparisonId: p.comparisonId });
        const live = this.live;
        if (!live || p.comparisonId !== live.comparisonId) return;
        const wasFinished = live.finished;
        if (live.onProgress(p)) void this.refreshLive();
        if (live.finished && !wasFinished) void this.settle(live);
      }),
      this.client.on('run.epoch', (e) => {
        this.noticeRun(e.runId);
        if (this.liveRun?.runId === e.runId) this.liveRun.onEpoch(e);
        this.live?.onEpoch(e.runId, e);
        if (this.live && !this.live.knows(e.runId)) void this.refreshLive();
      }),
      this.client.on('run.progress', (p) => {
        this.noticeRun(p.runId);
        if (this.liveRun?.runId === p.runId) this.liveRun.onProgress(p);
        this.live?.onRunProgress(p);
      }),
      this.client.on('run.status', (s) => {
        if (s.comparisonId === null && !hasEnded(s.status)) this.adopt({ runId: s.runId });
        const run = this.liveRun;
        if (run?.runId === s.runId && run.onStatus(s.status, s.error)) void this.settleRun(run);
        if (this.live && s.comparisonId === this.live.comparisonId && !this.live.knows(s.runId)) void this.refreshLive();
      }),
    ];
    return () => offs.forEach((off) => off());
  }

  /** Runs whose progress came in while this page followed none: checked once whether to follow them. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping, never shown
  private readonly noticed = new Set<string>();

  /**
   * Training started elsewhere — another window, a script calling the API, `smallset` commands
   * against this server — shows here as if this page had started it, unless something is live here
   * already (then it is picked up when that ends and the other still trains).
   */
  private adopt(target: { comparisonId: number } | { runId: string }): void {
    if (this.busy || this.resuming) return;
    const follow =
      'comparisonId' in target
        ? () => {
            this.liveRun = null;
            return this.follow(target.comparisonId);
          }
        : () => {
            this.live = null;
            return this.followRun(target.runId);
          };
    // A run deleted before it could be loaded is simply not followed.
    follow().catch(() => undefined);
  }

  /**
   * A run's progress while this page follows nothing live: the page missed its start (it was busy
   * with its own then, or opened later), so it asks once whether the run trains alone.
   */
  private noticeRun(runId: string): void {
    if (this.busy || this.resuming || this.noticed.has(runId)) return;
    if (this.live?.knows(runId) || this.liveRun?.runId === runId) return;
    this.noticed.add(runId);
    this.client.call('runs.get', { runId }).then(
      (r) => {
        if (hasEnded(r.status)) return;
        this.adopt(r.comparisonId === null ? { runId } : { comparisonId: r.comparisonId });
      },
      () => undefined,
    );
  }

  private async follow(comparisonId: number): Promise<void> {
    const live = new LiveComparison(comparisonId, this.client);
    this.live = live;
    await live.load();
    if (live.finished) void this.settle(live);
  }

  private async followRun(runId: string, resumedFrom: number | null = null): Promise<void> {
    if (this.resumeError && this.resumeError.runId !== runId) this.resumeError = null;
    const run = new LiveRun(runId, this.client, resumedFrom);
    this.liveRun = run;
    await run.load();
    if (run.finished) void this.settleRun(run);
  }

  private async settleRun(run: LiveRun): Promise<void> {
    try {
      run.apply(await this.client.call('runs.get', { runId: run.runId }));
    } catch {
      // The status event stands.
    }
    run.cancelling = false;
    this.onRunSettled(run.runId, run.status, run.error);
  }

  /** The one model's training configuration: the arm's options as a run's, every seed from one. */
  private async singleInput(datasetId: number): Promise<TrainConfigInput & { datasetId: number }> {
    const a = this.single;
    const pipeline = a.pipeline ? (await this.client.call('pipelines.get', { name: a.pipeline })).pipeline : null;
    const { earlyStopping, ...values } = Object.fromEntries(Object.entries(a.values).filter(([, v]) => v !== undefined));
    const patience = typeof earlyStopping === 'number' ? earlyStopping : null;
    return {
      ...(values as Partial<TrainConfigInput>),
      datasetId,
      epochs: this.epochs,
      size: this.size,
      batchSize: this.batchSize,
      pipeline: pipeline as TrainConfigInput['pipeline'],
      earlyStopping: patience === null ? null : { patience, monitor: 'valLoss', restoreBestWeights: true },
      ...(a.transfer ? { transfer: a.transfer } : {}),
    };
  }

  private refreshing = false;
  private async refreshLive(): Promise<void> {
    const live = this.live;
    if (!live || this.refreshing) return;
    this.refreshing = true;
    try {
      live.applyDetail(await this.client.call('compare.get', { comparisonId: live.comparisonId }));
    } catch {
      // The next event tries again.
    } finally {
      this.refreshing = false;
    }
  }

  private async settle(live: LiveComparison): Promise<void> {
    try {
      live.applyDetail(await this.client.call('compare.get', { comparisonId: live.comparisonId }));
    } catch {
      // The summary from the last event stands.
    }
    live.cancelling = false;
    this.onSettled(live.comparisonId, live.status, live.verdict);
  }

  private async input(datasetId: number): Promise<CompareStartInput> {
    const fractions = this.fractions();
    const common = {
      datasetId,
      repeats: this.repeats,
      epochs: this.epochs,
      size: this.size,
      ...(this.name.trim() ? { name: this.name.trim() } : {}),
      ...(fractions.length ? { fractions } : {}),
    };
    if (this.mode === 'preset') {
      const pipeline = this.pipeline ? (await this.client.call('pipelines.get', { name: this.pipeline })).pipeline : undefined;
      const backbone = this.presetInfo?.needsBackbone && this.backbone ? { backbone: this.backbone } : {};
      return { ...common, preset: this.preset, ...backbone, ...(pipeline ? { pipeline: pipeline as CompareStartInput['pipeline'] } : {}) };
    }
    const names = this.arms.map((a) => a.pipeline).filter((p, i, all): p is string => p !== null && all.indexOf(p) === i);
    const docs: Record<string, unknown> = Object.fromEntries(
      await Promise.all(names.map(async (name) => [name, (await this.client.call('pipelines.get', { name })).pipeline] as const)),
    );
    const arms = this.arms.map(
      (a) =>
        ({
          name: a.name.trim(),
          pipeline: a.pipeline ? docs[a.pipeline] : null,
          batchSize: this.batchSize,
          ...Object.fromEntries(Object.entries(a.values).filter(([, v]) => v !== undefined)),
          ...(a.transfer ? { transfer: a.transfer } : {}),
        }) as ArmSpecInput,
    );
    const baseline = this.arms.some((a) => a.name.trim() === this.baseline) ? this.baseline : undefined;
    return { ...common, arms, ...(baseline ? { baseline } : {}) };
  }
}
