import * as tf from '@tensorflow/tfjs';
import type { PosterizeConcrete, SolarizeConcrete } from '../ops/tone.js';
import { floorDivExact, perImage } from './integer-math.js';
import { tfOp } from './tf-op.js';

export const posterizeTf = tfOp<PosterizeConcrete>({
  id: 'posterize',
  run: (x, ps) =>
    tf.tidy(() => {
      // v & (0xff << (8 − bits)) is v rounded down to a multiple of 2^(8 − bits).
      const step = perImage(ps.map((p) => 2 ** (8 - p.bits)));
      return tf.mul(tf.floor(tf.div(x, step)), step);
    }),
});

export const solarizeTf = tfOp<SolarizeConcrete>({
  id: 'solarize',
  run: (x, ps) =>
    tf.tidy(() => {
      // For whole v, v ≥ t·255 exactly when v ≥ ceil(t·255); computed here in float64 like the sharp side.
      const t = perImage(ps.map((p) => Math.ceil(p.threshold * 255)));
      return tf.where(tf.greaterEqual(x, t), tf.sub(255, x), x);
    }),
});

/** Each channel stretched from its darkest to its brightest value, rounded half up: round(a / b) = ⌊(2a + b) / 2b⌋. */
export const autocontrastTf = tfOp<Record<string, never>>({
  id: 'autocontrast',
  run: (x) =>
    tf.tidy(() => {
      const lo = tf.min(x, [1, 2], true);
      const hi = tf.max(x, [1, 2], true);
      const span = tf.maximum(tf.sub(hi, lo), 1);
      const a = tf.mul(tf.sub(x, lo), 255);
      const stretched = floorDivExact(tf.add(tf.mul(a, 2), span), tf.mul(span, 2));
      return tf.where(tf.broadcastTo(tf.greater(hi, lo), x.shape), tf.clipByValue(stretched, 0, 255), x) as tf.Tensor4D;
    }),
});

/**
 * PIL ImageOps.equalize per channel, with the histogram, cumulative sums and table built in
 * tensors: step = ⌊(N − h[last]) / 255⌋, lut[i] = min(255, ⌊(⌊step/2⌋ + Σ_{j<i} h[j]) / step⌋).
 */
export const equalizeTf = tfOp<Record<string, never>>({
  id: 'equalize',
  run: (x) =>
    tf.tidy(() => {
      const [B, H, W] = x.shape;
      const rows = B * 3;
      const values = tf.cast(tf.reshape(tf.transpose(x, [0, 3, 1, 2]), [rows, H * W]), 'int32') as tf.Tensor2D;
      const hist = tf.cast(tf.denseBincount(values, tf.tensor2d([], [0, 0], 'float32'), 256), 'float32') as tf.Tensor2D;
      const nonzero = tf.cast(tf.greater(hist, 0), 'int32');
      const last = tf.sub(tf.scalar(255, 'int32'), tf.argMax(tf.reverse(nonzero, 1), 1)) as tf.Tensor1D;
      const histLast = tf.sum(tf.mul(hist, tf.oneHot(last, 256)), 1, true);
      const step = floorDivExact(tf.sub(H * W, histLast), 255);
      const before = tf.cumsum(hist, 1, true);
      const n = tf.add(tf.floor(tf.div(step, 2)), before);
      const lut = tf.minimum(floorDivExact(n, tf.maximum(step, 1)), 255);
      const identity = tf.range(0, 256).reshape([1, 256]);
      const table = tf.where(tf.broadcastTo(tf.equal(step, 0), [rows, 256]), tf.broadcastTo(identity, [rows, 256]), lut);
      const offsets = tf.mul(tf.range(0, rows, 1, 'int32'), tf.scalar(256, 'int32')).reshape([rows, 1]);
      const flatIdx = tf.add(values, offsets);
      const mapped = tf.gather(tf.reshape(table, [-1]), tf.reshape(flatIdx, [-1]));
      return tf.transpose(tf.reshape(mapped, [B, 3, H, W]), [0, 2, 3, 1]) as tf.Tensor4D;
    }),
});
