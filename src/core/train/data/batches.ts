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
 * Prepares batches one ahead, across epoch boundaries: while the model trains on one batch (or
 * runs the validation pass at the end of an epoch), the next is being augmented on the
 * augmentation thread, so training rarely waits for it.
 */
export class BatchStream {
  private readonly plans = new Map<number, RunSample[][]>();
  private pending: { epoch: number; index: number; batch: Promise<PreparedBatch> } | null = null;

  constructor(
    private readonly plan: (epoch: number) => RunSample[][],
    private readonly epochs: number,
    private readonly decoded: ReadonlyMap<number, Uint8Array>,
    private readonly augment: AugmentHook | null,
    private readonly size: number,
  ) {}

  /** The batches of an epoch (1-based), planned once. */
  batchesOf(epoch: number): RunSample[][] {
    let p = this.plans.get(epoch);
    if (!p) {
      p = this.plan(epoch);
      this.plans.set(epoch, p);
      this.plans.delete(epoch - 2);
    }
    return p;
  }

  /** Batch `index` (0-based) of `epoch`, starting the preparation of the batch after it. */
  async take(epoch: number, index: number): Promise<PreparedBatch> {
    const current = this.pending && this.pending.epoch === epoch && this.pending.index === index ? this.pending.batch : this.prepare(epoch, index);
    const nextIndex = index + 1 < this.batchesOf(epoch).length ? [epoch, index + 1] : epoch < this.epochs ? [epoch + 1, 0] : null;
    this.pending = nextIndex ? { epoch: nextIndex[0]!, index: nextIndex[1]!, batch: this.prepare(nextIndex[0]!, nextIndex[1]!) } : null;
    // A failure of the batch prepared ahead surfaces when it is taken, not as an unhandled rejection.
    this.pending?.batch.catch(() => {});
    return current;
  }

  private prepare(epoch: number, index: number): Promise<PreparedBatch> {
    const batch = this.batchesOf(epoch)[index]!;
    const labels = batch.map((s) => s.label);
    const raw = batch.map((s) => this.decoded.get(s.id)!);
    if (!this.augment) return Promise.resolve({ pixels: raw, labels });
    const samples = batch.map((s, j) => ({ imageId: s.id, pixels: raw[j]! }));
    return this.augment({ samples, size: this.size, epoch: epoch - 1 }).then((pixels) => ({ pixels, labels }));
  }
}
