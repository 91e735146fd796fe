import { STANDARD_CHAIN } from '../../core/augment/bench/throughput.js';
import { clearImplChoices } from '../../core/augment/impl-choice.js';
import { resizeImage } from '../../core/augment/image-io.js';
import type { RawImage } from '../../core/augment/op.js';
import { parsePipeline } from '../../core/augment/pipeline.js';
import { augmentBatch, type AugmentImpl } from '../../core/augment/train-hook.js';
import { initBackend, type BackendName } from '../../core/train/backend/init-backend.js';
import { median, type BenchFigure, type BenchOptions } from './index.js';

/** The training engine's default image size. */
export const TRAIN_SIZE = 64;
const BATCH = 32;
const BACKENDS: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];
const round = (x: number, places = 1) => Math.round(x * 10 ** places) / 10 ** places;

/** The standard chain as a training pipeline: its random_resized_crop outputs the training size instead of 224. */
const TRAIN_CHAIN = {
  ...STANDARD_CHAIN,
  ops: STANDARD_CHAIN.ops.map((o) => (o.op === 'random_resized_crop' ? { ...o, width: TRAIN_SIZE, height: TRAIN_SIZE } : o)),
};

/** Images per second of the training hook with one implementation: `n` images in batches of 32, `reps` times, after one warm-up batch. */
async function rate(impl: AugmentImpl, inputs: readonly Uint8Array[], n: number, reps: number, opts: BenchOptions): Promise<number[]> {
  const pipeline = parsePipeline(TRAIN_CHAIN);
  const batch = async (first: number, count: number, epoch: number) => {
    const ids = Array.from({ length: count }, (_v, i) => first + i);
    await augmentBatch({ images: ids.map((i) => inputs[i % inputs.length]!), imageIds: ids, epoch, pipeline, seed: 0, impl, size: TRAIN_SIZE });
  };
  await batch(0, BATCH, 0);
  const rates: number[] = [];
  for (let r = 0; r < reps; r++) {
    opts.signal.throwIfAborted();
    const t0 = performance.now();
    for (let first = 0; first < n; first += BATCH) await batch(first, Math.min(BATCH, n - first), r + 1);
    rates.push((n / (performance.now() - t0)) * 1000);
  }
  return rates;
}

/**
 * The standard chain at training size through the training hook (augmentBatch), once with the sharp
 * implementation and once with TensorFlow.js on every backend that starts here, so the bench shows
 * both implementations and which one 'auto' picks per backend.
 */
export async function tfAugmentFigures(opts: BenchOptions, photos: readonly RawImage[]): Promise<BenchFigure[]> {
  const n = opts.quick ? 8 : 512;
  const reps = opts.quick ? 1 : 3;
  const inputs = (await Promise.all(photos.map((p) => resizeImage(p, TRAIN_SIZE, TRAIN_SIZE)))).map((r) => r.data);
  const how = `standard chain on ${TRAIN_SIZE}×${TRAIN_SIZE} inputs, random_resized_crop to ${TRAIN_SIZE}, batches of ${BATCH}, median of ${reps} reps × ${n} images after one warm-up batch`;
  const figures: BenchFigure[] = [];

  opts.log(`training-size chain, sharp implementation…`);
  const sharpRates = await rate('sharp', inputs, n, reps, opts);
  const sharpRate = round(median(sharpRates));
  figures.push({ name: `train${TRAIN_SIZE}-chain sharp`, value: sharpRate, unit: 'img/s', peer: null, ratio: null, note: `${how}; reps [${sharpRates.map((x) => round(x)).join(', ')}]` });

  for (const wanted of BACKENDS) {
    opts.signal.throwIfAborted();
    let active: BackendName;
    try {
      active = (await initBackend({ prefer: wanted })).name;
    } catch {
      continue;
    }
    if (active !== wanted) {
      opts.log(`tf backend ${wanted} is not available here; skipped`);
      continue;
    }
    opts.log(`training-size chain, TensorFlow.js on ${wanted}…`);
    const tfRates = await rate('tf', inputs, n, reps, opts);
    const value = round(median(tfRates));
    clearImplChoices();
    const ids = Array.from({ length: BATCH }, (_v, i) => i);
    const auto = await augmentBatch({ images: ids.map((i) => inputs[i % inputs.length]!), imageIds: ids, epoch: 0, pipeline: TRAIN_CHAIN, seed: 0, impl: 'auto', size: TRAIN_SIZE });
    figures.push({
      name: `train${TRAIN_SIZE}-chain tf ${wanted}`,
      value,
      unit: 'img/s',
      peer: null,
      ratio: null,
      note: `${how}; reps [${tfRates.map((x) => round(x)).join(', ')}]; ${round(value / sharpRate, 2)}× the sharp implementation; 'auto' picks ${auto.impl} on ${wanted}`,
    });
  }
  clearImplChoices();
  // Leave the default backend active for whatever runs next.
  await initBackend();
  return figures;
}
