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

/** Batches prepared ahead of the one training takes. */
export const BATCHES_AHEAD = 2;

interface Pending {
  batch: Promise<PreparedBatch>;
  ready: boolean;
}

/**
 * Prepares batches ahead, across epoch boundaries: while the model trains on one batch (or runs the
 * validation pass at the end of an epoch), the next ones are being augmented on the augmentation
 * thread, so training waits only when augmentation is slower than a training step.
 */
export class BatchStream {
  private readonly plans = new Map<number, RunSample[][]>();
  private readonly pending = new Map<string, Pending>();
  /** Batches that were not ready when training asked for them (the first always is not), and the time spent waiting. */
  readonly waits = { count: 0, ms: 0 };

  constructor(
    private readonly plan: (epoch: number) => RunSample[][],
    private readonly epochs: number,
    private readonly decoded: ReadonlyMap<number, Uint8Array>,
    private readonly augment: AugmentHook | null,
    private readonly size: number,
    private readonly ahead = BATCHES_AHEAD,
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

  /** Batch `index` (0-based) of `epoch`, starting the preparation of the batches after it. */
  async take(epoch: number, index: number): Promise<PreparedBatch> {
    const key = `${epoch}:${index}`;
    const current = this.pending.get(key) ?? this.prepare(epoch, index);
    this.pending.delete(key);
    let next: [number, number] | null = [epoch, index];
    for (let i = 0; i < this.ahead && next; i++) {
      next = this.after(next[0], next[1]);
      if (!next || this.pending.has(`${next[0]}:${next[1]}`)) continue;
      const p = this.prepare(next[0], next[1]);
      // A failure of a batch prepared ahead surfaces when it is taken, not as an unhandled rejection.
      p.batch.catch(() => {});
      this.pending.set(`${next[0]}:${next[1]}`, p);
    }
    if (current.ready || !this.augment) return current.batch;
    const t0 = performance.now();
    try {
      return await current.batch;
    } finally {
      this.waits.count++;
      this.waits.ms += performance.now() - t0;
    }
  }

  private after(epoch: number, index: number): [number, number] | null {
    if (index + 1 < this.batchesOf(epoch).length) return [epoch, index + 1];
    return epoch < this.epochs ? [epoch + 1, 0] : null;
  }

  private prepare(epoch: number, index: number): Pending {
    const batch = this.batchesOf(epoch)[index]!;
    const labels = batch.map((s) => s.label);
    const raw = batch.map((s) => this.decoded.get(s.id)!);
    if (!this.augment) return { batch: Promise.resolve({ pixels: raw, labels }), ready: true };
    const samples = batch.map((s, j) => ({ imageId: s.id, pixels: raw[j]! }));
    const pending: Pending = { batch: Promise.resolve({ pixels: [], labels }), ready: false };
    pending.batch = this.augment({ samples, size: this.size, epoch: epoch - 1 }).then((pixels) => {
      pending.ready = true;
      return { pixels, labels };
    });
    return pending;
  }
}
