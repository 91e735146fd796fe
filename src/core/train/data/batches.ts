import { deriveSeed, mulberry32, shuffleInPlace } from '../seeded-random.js';
import type { AugmentHook } from './augment-hook.js';
import type { RunSample } from './samples.js';

/** A batch ready for the model: training-size RGB bytes per image and class indices. */
export interface PreparedBatch {
  pixels: Uint8Array[];
  labels: number[];
}

/** The training images' order in one epoch: a seeded shuffle per epoch. */
export function epochBatches(samples: readonly RunSample[], batchSize: number, dataSeed: number, epoch: number): RunSample[][] {
  const order = shuffleInPlace([...samples], mulberry32(deriveSeed(dataSeed, 'shuffle', epoch)));
  const batches: RunSample[][] = [];
  for (let i = 0; i < order.length; i += batchSize) batches.push(order.slice(i, i + batchSize));
  return batches;
}

/**
 * Prepares batches one ahead: while the model trains on batch i, batch i + 1 is being augmented
 * (sharp and raw-pixel code run off the JS thread or between awaits), so training rarely waits.
 */
export class BatchPrefetcher {
  private pending: Promise<PreparedBatch> | null = null;
  private index = 0;

  constructor(
    private readonly batches: readonly RunSample[][],
    private readonly decoded: ReadonlyMap<number, Uint8Array>,
    private readonly augment: AugmentHook | null,
    private readonly size: number,
    private readonly epoch: number,
  ) {}

  get count(): number {
    return this.batches.length;
  }

  /** The next batch, starting the preparation of the one after it before returning. */
  async next(): Promise<PreparedBatch | null> {
    const current = this.pending ?? this.prepare(this.index);
    if (current === null) return null;
    this.index++;
    this.pending = this.prepare(this.index);
    // A failure of the batch prepared ahead surfaces when it is awaited, not as an unhandled rejection.
    this.pending?.catch(() => {});
    return current;
  }

  private prepare(i: number): Promise<PreparedBatch> | null {
    const batch = this.batches[i];
    if (!batch) return null;
    const labels = batch.map((s) => s.label);
    const raw = batch.map((s) => this.decoded.get(s.id)!);
    if (!this.augment) return Promise.resolve({ pixels: raw, labels });
    const samples = batch.map((s, j) => ({ imageId: s.id, pixels: raw[j]! }));
    return this.augment({ samples, size: this.size, epoch: this.epoch }).then((pixels) => ({ pixels, labels }));
  }
}
