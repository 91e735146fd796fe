import type { Client } from '../../../shared/api/client.js';
import type { ComparisonDetail, ComparisonProgress, ComparisonStatus } from '../../../shared/api/compare.js';
import type { EpochLog, RunProgressEvent } from '../../../shared/api/train.js';
import { hasEnded, runShare, TrainingPace } from './training-pace.svelte.js';

export interface RunPlace {
  arm: string;
  repeat: number;
  fraction: number;
}

export interface LiveCurve {
  arm: string;
  /** Per epoch (1-based, index = epoch − 1): means over the arm's runs that reached it. */
  acc: (number | null)[];
  valAcc: (number | null)[];
  loss: (number | null)[];
  valLoss: (number | null)[];
}

function mean(values: (number | null)[]): number | null {
  const ok = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return ok.length ? ok.reduce((a, b) => a + b, 0) / ok.length : null;
}

/** A comparison being trained now, fed by compare.progress, run.epoch and run.progress events. */
export class LiveComparison {
  detail = $state.raw<ComparisonDetail | null>(null);
  status = $state<ComparisonStatus>('queued');
  total = $state(0);
  done = $state(0);
  failed = $state(0);
  cancelled = $state(0);
  verdict = $state<string | null>(null);
  cancelling = $state(false);
  places = $state.raw<Record<string, RunPlace>>({});
  epochs = $state.raw<Record<string, EpochLog[]>>({});
  progress = $state.raw<Record<string, RunProgressEvent>>({});
  running = $state.raw<string[]>([]);
  readonly pace = new TrainingPace();

  constructor(
    readonly comparisonId: number,
    private readonly client: Client,
  ) {}

  get finished(): boolean {
    return hasEnded(this.status);
  }

  get arms(): string[] {
    return this.detail?.config.arms.map((a) => a.name) ?? [];
  }

  get maxEpochs(): number {
    return this.detail?.config.epochs ?? 1;
  }

  /** 0…1 over the whole comparison. */
  get share(): number {
    if (!this.total) return 0;
    if (this.finished) return 1;
    const partial = this.running.reduce((s, id) => s + runShare(this.progress[id]), 0);
    return Math.min(1, (this.done + this.failed + this.cancelled + partial) / this.total);
  }

  /** Seconds left, from the pace so far; null until there is enough to go on. */
  get etaSeconds(): number | null {
    return this.finished ? null : this.pace.etaSeconds(this.share);
  }

  readonly curves = $derived.by(() => this.buildCurves());

  private buildCurves(): LiveCurve[] {
    const byArm: Record<string, EpochLog[][]> = Object.fromEntries(this.arms.map((arm) => [arm, []]));
    for (const [runId, logs] of Object.entries(this.epochs)) {
      const place = this.places[runId];
      if (!place) continue;
      // A learning-curve comparison trains each arm at several fractions; the live view follows the full split.
      if (place.fraction !== Math.max(...(this.detail?.config.fractions ?? [1]))) continue;
      byArm[place.arm]?.push(logs);
    }
    const n = this.maxEpochs;
    return Object.entries(byArm).map(([arm, runs]) => {
      const at = (e: number, key: 'acc' | 'valAcc' | 'loss' | 'valLoss') => mean(runs.map((r) => r.find((l) => l.epoch === e)?.[key] ?? null));
      const epochs = Array.from({ length: n }, (_, i) => i + 1);
      return {
        arm,
        acc: epochs.map((e) => at(e, 'acc')),
        valAcc: epochs.map((e) => at(e, 'valAcc')),
        loss: epochs.map((e) => at(e, 'loss')),
        valLoss: epochs.map((e) => at(e, 'valLoss')),
      };
    });
  }

  /** Loads the comparison and the epochs its runs already logged (after a reload, say). */
  async load(): Promise<void> {
    const detail = await this.client.call('compare.get', { comparisonId: this.comparisonId });
    this.applyDetail(detail);
    const started = detail.runs.filter((r) => r.runId && r.status !== 'pending');
    const logs = await Promise.all(
      started.map(async (r) => {
        try {
          return [r.runId!, (await this.client.call('runs.get', { runId: r.runId! })).epochs] as [string, EpochLog[]];
        } catch {
          return [r.runId!, []] as [string, EpochLog[]];
        }
      }),
    );
    const epochs = { ...this.epochs };
    for (const [id, list] of logs) if (!epochs[id] || epochs[id].length < list.length) epochs[id] = list;
    this.epochs = epochs;
  }

  applyDetail(detail: ComparisonDetail): void {
    this.detail = detail;
    this.status = detail.status;
    this.total = detail.total;
    this.done = detail.done;
    this.failed = detail.failed;
    this.verdict = detail.verdict;
    const places = { ...this.places };
    for (const r of detail.runs) if (r.runId) places[r.runId] = { arm: r.arm, repeat: r.repeat, fraction: r.fraction };
    this.places = places;
    this.running = detail.runs.filter((r) => r.status === 'running' && r.runId).map((r) => r.runId!);
  }

  onProgress(p: ComparisonProgress): boolean {
    this.status = p.status;
    this.total = p.total;
    this.done = p.done;
    this.failed = p.failed;
    this.cancelled = p.cancelled;
    this.verdict = p.verdict;
    const places = { ...this.places };
    let unknown = false;
    for (const r of p.running) {
      if (r.runId) places[r.runId] = { arm: r.arm, repeat: r.repeat, fraction: r.fraction };
      else unknown = true;
    }
    this.places = places;
    this.running = p.running.map((r) => r.runId).filter((id): id is string => id !== null);
    return unknown;
  }

  onEpoch(runId: string, log: EpochLog): void {
    const list = this.epochs[runId] ?? [];
    if (list.some((l) => l.epoch === log.epoch)) return;
    this.epochs = { ...this.epochs, [runId]: [...list, log] };
  }

  onRunProgress(p: RunProgressEvent): void {
    this.progress = { ...this.progress, [p.runId]: p };
    this.pace.tick(this.share);
  }

  knows(runId: string): boolean {
    return runId in this.places;
  }
}
