import type * as tf from '@tensorflow/tfjs';
import type { EarlyStoppingConfig, EpochLog } from '../../../shared/api/train.js';
import type { EarlyStoppingState } from '../checkpoint/checkpoint-file.js';
import type { TrainCallback, TrainControl } from './callback.js';

/** What early stopping needs of a model: read and write its weights. */
export interface WeightsHolder {
  getWeights(): tf.Tensor[];
  setWeights(weights: tf.Tensor[]): void;
}

/**
 * Stops when the monitored validation figure has not improved by more than minDelta for
 * `patience` epochs. With restoreBestWeights, the best epoch's weights go back into the model at
 * the end (also when training ran to its last epoch without stopping). A diverged epoch (null
 * figure) never counts as an improvement.
 */
export class EarlyStopping implements TrainCallback {
  private best: number | null = null;
  private bestEpochSeen = 0;
  private lastEpoch = 0;
  private wait = 0;
  private bestWeights: tf.Tensor[] | null = null;
  private restored = false;

  constructor(
    private readonly config: EarlyStoppingConfig,
    private readonly model: WeightsHolder,
    private readonly control: TrainControl,
  ) {}

  private improved(value: number): boolean {
    if (this.best === null) return true;
    return this.config.monitor === 'valLoss' ? value < this.best - this.config.minDelta : value > this.best + this.config.minDelta;
  }

  onEpochEnd(log: EpochLog): void {
    this.lastEpoch = log.epoch;
    const value = this.config.monitor === 'valLoss' ? log.valLoss : log.valAcc;
    if (value !== null && this.improved(value)) {
      this.best = value;
      this.bestEpochSeen = log.epoch;
      this.wait = 0;
      if (this.config.restoreBestWeights) {
        this.bestWeights?.forEach((w) => w.dispose());
        this.bestWeights = this.model.getWeights().map((w) => w.clone());
      }
      return;
    }
    this.wait++;
    if (this.wait >= this.config.patience) this.control.stop('early_stopping');
  }

  onTrainEnd(): void {
    if (this.bestWeights && this.bestEpochSeen !== this.lastEpoch) {
      this.model.setWeights(this.bestWeights);
      this.restored = true;
    }
    this.bestWeights?.forEach((w) => w.dispose());
    this.bestWeights = null;
  }

  /** What a checkpoint keeps: the figures so far and the weights kept as the best (not copied). */
  snapshot(): { state: EarlyStoppingState; bestWeights: tf.Tensor[] | null } {
    return { state: { best: this.best, bestEpochSeen: this.bestEpochSeen, lastEpoch: this.lastEpoch, wait: this.wait }, bestWeights: this.bestWeights };
  }

  /** Continues from a checkpoint; takes ownership of `bestWeights`. */
  restore(state: EarlyStoppingState, bestWeights: tf.Tensor[] | null): void {
    this.best = state.best;
    this.bestEpochSeen = state.bestEpochSeen;
    this.lastEpoch = state.lastEpoch;
    this.wait = state.wait;
    this.bestWeights?.forEach((w) => w.dispose());
    this.bestWeights = bestWeights;
  }

  /** The best epoch by the monitored figure (0 before any finite value). */
  get bestEpoch(): number {
    return this.bestEpochSeen;
  }

  /** The epoch whose weights the model holds after training. */
  get keptEpoch(): number {
    return this.restored ? this.bestEpochSeen : this.lastEpoch;
  }
}
