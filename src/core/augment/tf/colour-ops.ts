import * as tf from '@tensorflow/tfjs';
import type { FactorConcrete, HueConcrete } from '../ops/colour-jitter.js';
import type { GammaConcrete } from '../ops/tone.js';
import { LUMA_B, LUMA_G, LUMA_R } from '../pixels/colour.js';
import { lumaInt, perImage, toByte } from './integer-math.js';
import { tfOp } from './tf-op.js';

export const brightnessTf = tfOp<FactorConcrete>({
  id: 'brightness',
  run: (x, ps) => tf.tidy(() => toByte(tf.mul(x, perImage(ps.map((p) => p.factor))))),
});

/** Blends towards the image's mean luma (float, as the sharp side's meanLuma), then rounds like its LUT. */
export const contrastTf = tfOp<FactorConcrete>({
  id: 'contrast',
  run: (x, ps) =>
    tf.tidy(() => {
      const weights = tf.tensor1d([LUMA_R / 65536, LUMA_G / 65536, LUMA_B / 65536]);
      const mean = tf.mean(tf.sum(tf.mul(x, weights), -1), [1, 2]).reshape([-1, 1, 1, 1]);
      return toByte(tf.add(mean, tf.mul(perImage(ps.map((p) => p.factor)), tf.sub(x, mean))));
    }),
});

/** The sharp side's fixed point: (l·1024 + 512 + round(f·1024)·(v − l)) >> 10, exact in float32. */
export const saturationTf = tfOp<FactorConcrete>({
  id: 'saturation',
  run: (x, ps) =>
    tf.tidy(() => {
      const l = lumaInt(x);
      const f = perImage(ps.map((p) => Math.round(p.factor * 1024)));
      const fixed = tf.add(tf.add(tf.mul(l, 1024), 512), tf.mul(f, tf.sub(x, l)));
      return tf.clipByValue(tf.floor(tf.div(fixed, 1024)), 0, 255);
    }),
});

/**
 * Hue rotation in HSV with the sharp side's steps: value (max) and min stay, the hue moves by the
 * shift and each channel is rebuilt with the usual hsv→rgb form V − C·clip(min(k, 4 − k), 0, 1),
 * k = (n + h) mod 6 for n = 5, 3, 1 (R, G, B): max, min, or the middle value, rounded half up.
 * float32 hue may round a middle value that sits on .5 the other way (±1).
 */
export const hueTf = tfOp<HueConcrete>({
  id: 'hue',
  run: (x, ps) =>
    tf.tidy(() => {
      const [B, H, W] = x.shape;
      // Channels first ([3, B, H·W]): per-channel maths on whole rows is much cheaper than slicing or broadcasting the last axis.
      const [r, g, b] = tf.unstack(tf.transpose(tf.reshape(x, [B, H * W, 3]), [2, 0, 1])) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
      const max = tf.maximum(tf.maximum(r, g), b);
      const min = tf.minimum(tf.minimum(r, g), b);
      const c = tf.sub(max, min);
      // Grey pixels (c = 0) come out as max on every channel, i.e. unchanged; dividing by 1 keeps h finite.
      const cs = tf.maximum(c, 1);
      const h = tf.where(
        tf.equal(max, r),
        tf.div(tf.sub(g, b), cs),
        tf.where(tf.equal(max, g), tf.add(tf.div(tf.sub(b, r), cs), 2), tf.add(tf.div(tf.sub(r, g), cs), 4)),
      );
      const shifted = tf.add(h, tf.tensor2d(ps.map((p) => (((p.shift % 1) * 6) % 6 + 6) % 6), [B, 1]));
      const channel = (n: number) => {
        const v = tf.add(shifted, n);
        const k = tf.sub(v, tf.mul(tf.floor(tf.div(v, 6)), 6));
        const t = tf.clipByValue(tf.minimum(k, tf.sub(4, k)), 0, 1);
        return tf.floor(tf.add(tf.sub(max, tf.mul(c, t)), 0.5));
      };
      return tf.reshape(tf.stack([channel(5), channel(3), channel(1)], 2), [B, H, W, 3]) as tf.Tensor4D;
    }),
});

export const gammaTf = tfOp<GammaConcrete>({
  id: 'gamma',
  run: (x, ps) => tf.tidy(() => toByte(tf.mul(tf.pow(tf.div(x, 255), perImage(ps.map((p) => p.gamma))), 255))),
});

export const grayscaleTf = tfOp<Record<string, never>>({
  id: 'grayscale',
  run: (x) => tf.tidy(() => tf.tile(lumaInt(x), [1, 1, 1, 3])),
});
