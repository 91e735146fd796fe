import type { EpochLog } from '../../../shared/api/train.js';

export type StopReason = 'early_stopping' | 'diverged';

/** What a batch reports: its own loss and accuracy, and the epoch's running means so far. */
export interface BatchLog {
  epoch: number;
  /** 1-based within the epoch. */
  batch: number;
  batches: number;
  loss: number;
  acc: number;
  epochLoss: number;
  epochAcc: number;
}

export interface TrainBegin {
  epochs: number;
  batchesPerEpoch: number;
  /** The epoch training starts at: 1, or the one after a resumed run's checkpoint. */
  firstEpoch?: number;
}

/** Lets a callback end training after the current batch or epoch. */
export class TrainControl {
  private reason: StopReason | null = null;
  stop(reason: StopReason): void {
    this.reason ??= reason;
  }
  get stopReason(): StopReason | null {
    return this.reason;
  }
}

/** One hook per point of the training lifecycle (Keras-style), typed logs instead of a string-keyed bag. */
export interface TrainCallback {
  onTrainBegin?(info: TrainBegin): void | Promise<void>;
  onEpochBegin?(epoch: number): void | Promise<void>;
  onBatchEnd?(log: BatchLog): void | Promise<void>;
  onEpochEnd?(log: EpochLog): void | Promise<void>;
  onTrainEnd?(): void | Promise<void>;
}

/** Fans every hook out to each callback in order. */
export class CallbackList implements Required<TrainCallback> {
  constructor(private readonly callbacks: readonly TrainCallback[]) {}
  async onTrainBegin(info: TrainBegin): Promise<void> {
    for (const c of this.callbacks) await c.onTrainBegin?.(info);
  }
  async onEpochBegin(epoch: number): Promise<void> {
    for (const c of this.callbacks) await c.onEpochBegin?.(epoch);
  }
  async onBatchEnd(log: BatchLog): Promise<void> {
    for (const c of this.callbacks) await c.onBatchEnd?.(log);
  }
  async onEpochEnd(log: EpochLog): Promise<void> {
    for (const c of this.callbacks) await c.onEpochEnd?.(log);
  }
  async onTrainEnd(): Promise<void> {
    for (const c of this.callbacks) await c.onTrainEnd?.();
  }
}
