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
 * Hue rotation in HSV with the sharp side's steps: value (max) and min stay, the hue sector and the
 * middle value move; the middle value rounds half up. float32 hue may round a middle value the
 * other way where it sits on .5 (±1).
 */
export const hueTf = tfOp<HueConcrete>({
  id: 'hue',
  run: (x, ps) =>
    tf.tidy(() => {
      const [r, g, b] = tf.split(x, 3, -1) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
      const max = tf.maximum(tf.maximum(r, g), b);
      const min = tf.minimum(tf.minimum(r, g), b);
      const c = tf.sub(max, min);
      const grey = tf.equal(c, 0);
      const cs = tf.where(grey, tf.onesLike(c), c);
      let h = tf.where(
        tf.equal(max, r),
        tf.div(tf.sub(g, b), cs),
        tf.where(tf.equal(max, g), tf.add(tf.div(tf.sub(b, r), cs), 2), tf.add(tf.div(tf.sub(r, g), cs), 4)),
      );
      const s6 = perImage(
        ps.map((p) => {
          const s = (p.shift % 1) * 6;
          return s < 0 ? s + 6 : s;
        }),
      );
      h = tf.add(h, s6);
      h = tf.where(tf.less(h, 0), tf.add(h, 6), tf.where(tf.greaterEqual(h, 6), tf.sub(h, 6), h));
      h = tf.where(tf.greaterEqual(h, 6), tf.sub(h, 6), h);
      const sector = tf.floor(h);
      const f = tf.sub(h, sector);
      const rise = tf.floor(tf.add(tf.add(min, tf.mul(c, f)), 0.5));
      const fall = tf.floor(tf.add(tf.sub(max, tf.mul(c, f)), 0.5));
      const pick = (values: readonly tf.Tensor[]) =>
        values.slice(0, 5).reduceRight<tf.Tensor>((acc, v, i) => tf.where(tf.equal(sector, i), v, acc), values[5]!);
      const R = pick([max, fall, min, min, rise, max]);
      const G = pick([rise, max, max, fall, min, min]);
      const B = pick([min, min, rise, max, max, fall]);
      return tf.where(tf.broadcastTo(grey, x.shape), x, tf.concat([R, G, B], -1)) as tf.Tensor4D;
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
