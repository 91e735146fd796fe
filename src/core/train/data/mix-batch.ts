import * as tf from '@tensorflow/tfjs';
import { beta, shuffleInPlace, type Random } from '../seeded-random.js';

export interface MixOptions {
  /** Beta(α, α) of MixUp; 0 = off. */
  mixup: number;
  /** Beta(α, α) of CutMix; 0 = off. */
  cutmix: number;
}

export interface MixedBatch {
  x: tf.Tensor4D;
  y: tf.Tensor2D;
  /** Which mix was applied, and the weight of the batch's own images (1 − the partners' share). */
  kind: 'none' | 'mixup' | 'cutmix';
  lambda: number;
}

function partnerOrder(n: number, random: Random): number[] {
  return shuffleInPlace(Array.from({ length: n }, (_, i) => i), random);
}

/** MixUp (Zhang et al. 2018): x = λ·x + (1 − λ)·x[perm], same for the targets. */
export function mixup(x: tf.Tensor4D, y: tf.Tensor2D, lambda: number, perm: readonly number[]): { x: tf.Tensor4D; y: tf.Tensor2D } {
  return tf.tidy(() => {
    const idx = tf.tensor1d(perm as number[], 'int32');
    return {
      x: x.mul(lambda).add(tf.gather(x, idx).mul(1 - lambda)) as tf.Tensor4D,
      y: y.mul(lambda).add(tf.gather(y, idx).mul(1 - lambda)) as tf.Tensor2D,
    };
  });
}

/** The CutMix box for weight λ: side ∝ √(1 − λ), centred uniformly, clipped to the image. */
export function cutmixBox(size: number, lambda: number, random: Random): { x0: number; y0: number; x1: number; y1: number } {
  const side = Math.round(size * Math.sqrt(1 - lambda));
  const cx = Math.floor(random() * size);
  const cy = Math.floor(random() * size);
  return {
    x0: Math.max(0, cx - (side >> 1)),
    y0: Math.max(0, cy - (side >> 1)),
    x1: Math.min(size, cx - (side >> 1) + side),
    y1: Math.min(size, cy - (side >> 1) + side),
  };
}

/**
 * CutMix (Yun et al. 2019): a box of each image is replaced by the same box of its partner; the
 * targets mix by the share of pixels actually pasted (the box may be clipped at the border).
 */
export function cutmix(
  x: tf.Tensor4D,
  y: tf.Tensor2D,
  box: { x0: number; y0: number; x1: number; y1: number },
  perm: readonly number[],
): { x: tf.Tensor4D; y: tf.Tensor2D; lambda: number } {
  const size = x.shape[1];
  const mask = new Float32Array(size * size);
  for (let r = box.y0; r < box.y1; r++) mask.fill(1, r * size + box.x0, r * size + box.x1);
  const lambda = 1 - ((box.x1 - box.x0) * (box.y1 - box.y0)) / (size * size);
  return tf.tidy(() => {
    const idx = tf.tensor1d(perm as number[], 'int32');
    const m = tf.tensor4d(mask, [1, size, size, 1]);
    return {
      x: x.mul(tf.sub(1, m)).add(tf.gather(x, idx).mul(m)) as tf.Tensor4D,
      y: y.mul(lambda).add(tf.gather(y, idx).mul(1 - lambda)) as tf.Tensor2D,
      lambda,
    };
  });
}

/**
 * Applies MixUp or CutMix to a batch when enabled (with both, a fair coin picks one per batch).
 * Disposes the inputs it replaces; returns them unchanged when no mix applies.
 */
export function mixBatch(x: tf.Tensor4D, y: tf.Tensor2D, opts: MixOptions, random: Random): MixedBatch {
  const useMixup = opts.mixup > 0 && (opts.cutmix <= 0 || random() < 0.5);
  const useCutmix = !useMixup && opts.cutmix > 0;
  if ((!useMixup && !useCutmix) || x.shape[0] < 2) return { x, y, kind: 'none', lambda: 1 };
  const alpha = useMixup ? opts.mixup : opts.cutmix;
  const lam = beta(alpha, alpha, random);
  const perm = partnerOrder(x.shape[0], random);
  const out = useMixup ? { ...mixup(x, y, lam, perm), lambda: lam } : cutmix(x, y, cutmixBox(x.shape[1], lam, random), perm);
  x.dispose();
  y.dispose();
  return { x: out.x, y: out.y, kind: useMixup ? 'mixup' : 'cutmix', lambda: out.lambda };
}
