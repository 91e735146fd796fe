import type { Client } from '../../../shared/api/client.js';
import type { EpochLog, RunDetail, RunProgressEvent, RunStatus } from '../../../shared/api/train.js';
import { hasEnded, runShare, TrainingPace } from './training-pace.svelte.js';

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
  readonly pace = new TrainingPace();

  constructor(
    readonly runId: string,
    private readonly client: Client,
    /** The epoch it continues from when it was resumed; null when it started afresh. */
    readonly resumedFrom: number | null = null,
  ) {}

  get finished(): boolean {
    return hasEnded(this.status);
  }

  /** 0…1 of the run's work: its latest progress event, or the epochs it has (all of it once done). */
  get share(): number {
    if (this.status === 'done') return 1;
    const logged = (this.epochs.length / this.maxEpochs) * 0.95;
    return this.finished ? logged : Math.max(logged, runShare(this.progress));
  }

  /** Seconds left: the run's own estimate while training, else the pace so far. */
  get etaSeconds(): number | null {
    if (this.finished) return null;
    return this.progress?.etaSeconds ?? this.pace.etaSeconds(this.share);
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
    // A run trained by another program sends epochs only: they set the pace.
    this.pace.tick(this.share);
  }

  onProgress(p: RunProgressEvent): void {
    this.progress = p;
    this.maxEpochs = p.epochs;
    if (this.status === 'queued') this.status = 'running';
    this.pace.tick(this.share);
  }

  /** True when the run has just ended: the caller fetches its final record. */
  onStatus(status: RunStatus, error: string | null): boolean {
    const was = this.finished;
    this.status = status;
    this.error = error;
    return this.finished && !was;
  }
}
