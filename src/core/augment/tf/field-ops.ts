import * as tf from '@tensorflow/tfjs';
import { boxPixels, type CutoutConcrete } from '../ops/cutout.js';
import type { GaussianNoiseConcrete, SaltPepperConcrete } from '../ops/noise.js';
import { parseHexColour } from '../params.js';
import { gaussianNoiseField, saltPepperField } from '../pixels/noise.js';
import { tfOp } from './tf-op.js';

/** The sampled seed drives the same noise stream as the sharp side; the field is built once per image and added. */
export const gaussianNoiseTf = tfOp<GaussianNoiseConcrete>({
  id: 'gaussian_noise',
  run: (x, ps) => {
    const [B, H, W] = x.shape;
    const per = H * W * 3;
    const field = new Float32Array(B * per);
    ps.forEach((p, b) => field.set(gaussianNoiseField(H * W, p.sigma, p.per_channel, p.seed), b * per));
    return tf.tidy(() => tf.clipByValue(tf.add(x, tf.tensor4d(field, x.shape)), 0, 255));
  },
});

export const saltPepperTf = tfOp<SaltPepperConcrete>({
  id: 'salt_pepper',
  run: (x, ps) => {
    const [B, H, W] = x.shape;
    const field = new Float32Array(B * H * W);
    ps.forEach((p, b) => field.set(saltPepperField(H * W, p.amount, p.salt, p.seed), b * H * W));
    return tf.tidy(() => {
      const f = tf.tensor4d(field, [B, H, W, 1]);
      return tf.where(tf.broadcastTo(tf.greaterEqual(f, 0), x.shape), tf.broadcastTo(f, x.shape), x) as tf.Tensor4D;
    });
  },
});

/** Erased rectangles as a mask and a colour per image; the whole-pixel boxes come from the sharp side's boxPixels. */
export const cutoutTf = tfOp<CutoutConcrete>({
  id: 'cutout',
  run: (x, ps) => {
    const [B, H, W] = x.shape;
    const mask = new Uint8Array(B * H * W);
    ps.forEach((p, b) => {
      for (const rect of p.rects) {
        const { x0, y0, x1, y1 } = boxPixels(rect, { width: W, height: H });
        for (let y = y0; y < y1; y++) mask.fill(1, b * H * W + y * W + x0, b * H * W + y * W + x1);
      }
    });
    const colours = ps.flatMap((p) => parseHexColour(p.fill_colour));
    return tf.tidy(() => {
      const m = tf.tensor4d(mask, [B, H, W, 1], 'bool');
      const c = tf.tensor4d(colours, [B, 1, 1, 3]);
      return tf.where(tf.broadcastTo(m, x.shape), tf.broadcastTo(c, x.shape), x) as tf.Tensor4D;
    });
  },
});
