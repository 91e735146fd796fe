import * as tf from '@tensorflow/tfjs';
import type { GaussianBlurConcrete, SharpenConcrete } from '../ops/detail.js';
import { gaussianWeights } from '../pixels/convolve.js';
import { floorDivExact, perImage } from './integer-math.js';
import { tfOp } from './tf-op.js';

/** torchvision adjust_sharpness as the sharp side does it: a depthwise 3×3 smoothing, fixed-point blend, border untouched. */
export const sharpenTf = tfOp<SharpenConcrete>({
  id: 'sharpen',
  run: (x, ps) =>
    tf.tidy(() => {
      const [B, H, W] = x.shape;
      if (H < 3 || W < 3) return tf.clone(x);
      const kernel = tf.tile(tf.tensor4d([1, 1, 1, 1, 5, 1, 1, 1, 1], [3, 3, 1, 1]), [1, 1, 3, 1]);
      const sum = tf.depthwiseConv2d(x, kernel as tf.Tensor4D, 1, 'valid');
      const smooth = floorDivExact(tf.add(tf.mul(sum, 2), 13), 26);
      const centre = tf.slice(x, [0, 1, 1, 0], [B, H - 2, W - 2, 3]);
      const f = perImage(ps.map((p) => Math.round(p.factor * 256)));
      const blended = tf.add(smooth, tf.floor(tf.div(tf.add(tf.mul(f, tf.sub(centre, smooth)), 128), 256)));
      const inner = tf.pad(tf.clipByValue(blended, 0, 255), [[0, 0], [1, 1], [1, 1], [0, 0]]);
      const interior = tf.pad(tf.ones([1, H - 2, W - 2, 1], 'bool'), [[0, 0], [1, 1], [1, 1], [0, 0]]);
      return tf.where(tf.broadcastTo(interior, x.shape), inner, x) as tf.Tensor4D;
    }),
});

/** Reflect-101 index (as the sharp side's blur), valid for any distance past the edge. */
function reflectIndex(i: number, n: number): number {
  if (n <= 1) return 0;
  while (i < 0 || i >= n) i = i < 0 ? -i : 2 * (n - 1) - i;
  return i;
}

/** Reflect-101 padding by r along one axis: a mirror pad while one mirror reaches, else a gather of reflected indices. */
function reflectPad(x: tf.Tensor4D, axis: 1 | 2, r: number): tf.Tensor4D {
  const n = x.shape[axis];
  if (r < n) {
    const pads: [number, number][] = [[0, 0], [0, 0], [0, 0], [0, 0]];
    pads[axis] = [r, r];
    return tf.mirrorPad(x, pads, 'reflect');
  }
  const indices = tf.tensor1d(Array.from({ length: n + 2 * r }, (_v, t) => reflectIndex(t - r, n)), 'int32');
  return tf.gather(x, indices, axis);
}

/**
 * Separable Gaussian blur with each image's own kernel: the batch moves into the channel axis so one
 * depthwise convolution per direction blurs every image (shorter kernels are zero-padded to the
 * longest). Same 12-bit weights and rounding as the sharp side, so the result is exact.
 */
export const gaussianBlurTf = tfOp<GaussianBlurConcrete>({
  id: 'gaussian_blur',
  run: (x, ps) =>
    tf.tidy(() => {
      const [B, H, W] = x.shape;
      const C = B * 3;
      const K = Math.max(...ps.map((p) => p.kernel_size));
      const r = (K - 1) / 2;
      const taps = new Float32Array(K * C);
      ps.forEach((p, b) => {
        const w = gaussianWeights(p.kernel_size, p.sigma);
        const shift = (K - p.kernel_size) / 2;
        for (let t = 0; t < p.kernel_size; t++) for (let c = 0; c < 3; c++) taps[(t + shift) * C + b * 3 + c] = w[t]!;
      });
      const channels = tf.reshape(tf.transpose(x, [1, 2, 0, 3]), [1, H, W, C]) as tf.Tensor4D;
      const rowPass = tf.depthwiseConv2d(reflectPad(channels, 2, r), tf.tensor4d(taps, [1, K, C, 1]), 1, 'valid');
      const tmp = tf.floor(tf.div(tf.add(rowPass, 128), 256)) as tf.Tensor4D;
      const colPass = tf.depthwiseConv2d(reflectPad(tmp, 1, r), tf.tensor4d(taps, [K, 1, C, 1]), 1, 'valid');
      const out = tf.floor(tf.div(tf.add(colPass, 32768), 65536));
      return tf.transpose(tf.reshape(out, [H, W, B, 3]), [2, 0, 1, 3]) as tf.Tensor4D;
    }),
});
