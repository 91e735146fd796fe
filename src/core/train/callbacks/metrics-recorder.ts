import type { EpochLog } from '../../../shared/api/train.js';
import type { TrainCallback } from './callback.js';

/** Keeps every epoch's log and passes each one on as it ends (the worker sends it to be stored). */
export class MetricsRecorder implements TrainCallback {
  readonly epochs: EpochLog[] = [];
  constructor(private readonly onEpoch: (log: EpochLog) => void = () => {}) {}
  onEpochEnd(log: EpochLog): void {
    this.epochs.push(log);
    this.onEpoch(log);
  }
  /** A resumed run's epochs so far (they were sent before; not sent again). */
  restore(epochs: readonly EpochLog[]): void {
    this.epochs.splice(0, this.epochs.length, ...epochs);
  }
  get lastEpoch(): number {
    return this.epochs.at(-1)?.epoch ?? 0;
  }
}
