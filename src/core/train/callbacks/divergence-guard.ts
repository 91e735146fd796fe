import type { BatchLog, TrainCallback, TrainControl } from './callback.js';

/** Ends training once a batch loss is NaN or infinite: further steps cannot recover the weights. */
export class DivergenceGuard implements TrainCallback {
  constructor(private readonly control: TrainControl) {}
  onBatchEnd(log: BatchLog): void {
    if (!Number.isFinite(log.loss)) this.control.stop('diverged');
  }
}
