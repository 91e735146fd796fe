import type { Client } from '../../../shared/api/client.js';
import type { EpochLog, RunDetail, RunProgressEvent, RunStatus } from '../../../shared/api/train.js';

const TERMINAL: readonly RunStatus[] = ['done', 'failed', 'cancelled'];

/** One training run (not part of a comparison) being trained now, fed by run.* events. */
export class LiveRun {
  status = $state<RunStatus>('queued');
  epochs = $state.raw<EpochLog[]>([]);
  maxEpochs = $state(1);
  progress = $state.raw<RunProgressEvent | null>(null);
  /** The full record, once the run has ended (final metrics, the reason it failed). */
  detail = $state.raw<RunDetail | null>(null);
  error = $state<string | null>(null);
  cancelling = $state(false);
  readonly startedAt = Date.now();
  now = $state(Date.now());

  constructor(
    readonly runId: string,
    private readonly client: Client,
  ) {}

  get finished(): boolean {
    return TERMINAL.includes(this.status);
  }

  /** 0…1 of the run's work, from its latest progress event. */
  get share(): number {
    if (this.finished) return 1;
    const p = this.progress;
    if (!p) return 0;
    if (p.phase === 'training' && p.epochs > 0) {
      const inEpoch = p.batches > 0 ? p.batch / p.batches : 0;
      return Math.min(1, (Math.max(0, p.epoch - 1) + inEpoch) / p.epochs) * 0.95;
    }
    if (p.phase === 'evaluating' || p.phase === 'saving') return 0.97;
    return 0.02;
  }

  /** Seconds left: the run's own estimate while training, else the pace so far. */
  get etaSeconds(): number | null {
    if (this.finished) return null;
    if (this.progress?.etaSeconds != null) return this.progress.etaSeconds;
    const share = this.share;
    const elapsed = (this.now - this.startedAt) / 1000;
    return share < 0.03 || elapsed < 3 ? null : (elapsed * (1 - share)) / share;
  }

  /** Loads what the run already logged (after a reload, or when it was started elsewhere). */
  async load(): Promise<void> {
    this.apply(await this.client.call('runs.get', { runId: this.runId }));
  }

  apply(detail: RunDetail): void {
    this.status = detail.status;
    this.maxEpochs = detail.maxEpochs;
    if (detail.epochs.length >= this.epochs.length) this.epochs = detail.epochs;
    this.error = detail.error;
    if (this.finished) this.detail = detail;
  }

  onEpoch(log: EpochLog & { epochs: number }): void {
    this.maxEpochs = log.epochs;
    if (this.status === 'queued') this.status = 'running';
    if (!this.epochs.some((l) => l.epoch === log.epoch)) this.epochs = [...this.epochs, log].sort((a, b) => a.epoch - b.epoch);
  }

  onProgress(p: RunProgressEvent): void {
    this.progress = p;
    this.maxEpochs = p.epochs;
    if (this.status === 'queued') this.status = 'running';
    this.now = Date.now();
  }

  /** True when the run has just ended: the caller fetches its final record. */
  onStatus(status: RunStatus, error: string | null): boolean {
    const was = this.finished;
    this.status = status;
    this.error = error;
    return this.finished && !was;
  }
}
