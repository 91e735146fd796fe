import type { RunProgressEvent } from '../../../shared/api/train.js';
import type { BatchLog, TrainBegin, TrainCallback } from './callback.js';

export type RunProgress = Omit<RunProgressEvent, 'runId'>;

/**
 * Reports training progress with an ETA from the mean time per batch so far, at most every
 * `intervalMs` (plus every epoch's last batch), so a fast loop does not flood the channel.
 */
export class ProgressEmitter implements TrainCallback {
  private started = 0;
  private last = 0;
  private epochs = 1;
  private perEpoch = 0;
  /** Batches of the epochs a resumed run did before (not timed here). */
  private before = 0;

  constructor(
    private readonly send: (p: RunProgress) => void,
    private readonly intervalMs = 250,
    private readonly now: () => number = () => performance.now(),
  ) {}

  onTrainBegin(info: TrainBegin): void {
    this.started = this.now();
    this.epochs = info.epochs;
    this.perEpoch = info.batchesPerEpoch;
    this.before = ((info.firstEpoch ?? 1) - 1) * info.batchesPerEpoch;
  }

  onBatchEnd(log: BatchLog): void {
    const t = this.now();
    const final = log.batch === log.batches;
    if (!final && t - this.last < this.intervalMs) return;
    this.last = t;
    const total = this.epochs * this.perEpoch;
    const done = (log.epoch - 1) * this.perEpoch + log.batch;
    const timed = done - this.before;
    const eta = timed > 0 ? (((t - this.started) / timed) * (total - done)) / 1000 : null;
    this.send({
      phase: 'training',
      epoch: log.epoch,
      epochs: this.epochs,
      batch: log.batch,
      batches: log.batches,
      done,
      total,
      loss: Number.isFinite(log.epochLoss) ? log.epochLoss : null,
      acc: Number.isFinite(log.epochAcc) ? log.epochAcc : null,
      etaSeconds: eta === null ? null : Math.max(0, eta),
    });
  }
}
