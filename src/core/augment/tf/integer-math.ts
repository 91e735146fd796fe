import * as tf from '@tensorflow/tfjs';

/**
 * Integer helpers for float32 tensors holding whole numbers. The sharp side works in 8-bit and
 * fixed-point integers; these reproduce its rounding exactly where float32 can (all values < 2^24).
 */

/** Math.round semantics (half up), not tf.round's half-to-even. */
export function roundHalfUp<T extends tf.Tensor>(x: T): T {
  return tf.floor(tf.add(x, 0.5)) as T;
}

/** Rounds half up and clamps to 0..255, as storing into the sharp side's Uint8 buffers does. */
export function toByte<T extends tf.Tensor>(x: T): T {
  return tf.clipByValue(roundHalfUp(x), 0, 255) as T;
}

/**
 * floor(a / b) for whole-number tensors with b > 0, exact even where float32 division rounds a
 * quotient just below an integer up to it (one correction step each way).
 */
export function floorDivExact<T extends tf.Tensor>(a: T, b: tf.Tensor | number): T {
  return tf.tidy(() => {
    const q = tf.floor(tf.div(a, b));
    const tooBig = tf.greater(tf.mul(q, b), a);
    const q1 = tf.where(tooBig, tf.sub(q, 1), q);
    const tooSmall = tf.lessEqual(tf.mul(tf.add(q1, 1), b), a);
    return tf.where(tooSmall, tf.add(q1, 1), q1) as T;
  });
}

/** Per-image scalars as a [B, 1, 1, 1] tensor, to broadcast over a [B, H, W, C] batch. */
export function perImage(values: readonly number[]): tf.Tensor4D {
  return tf.tensor4d(values as number[], [values.length, 1, 1, 1]);
}

/** Per-image RGB triples as a [B, 1, 1, 3] tensor. */
export function perImageRgb(values: readonly (readonly [number, number, number])[]): tf.Tensor4D {
  return tf.tensor4d(values.flatMap((v) => [v[0], v[1], v[2]]), [values.length, 1, 1, 3]);
}

/** ITU-R 601 luma exactly as the sharp side computes it: (r·19595 + g·38470 + b·7471 + 32768) >> 16, shape [B, H, W, 1]. */
export function lumaInt(x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const w = tf.tensor1d([19595, 38470, 7471]);
    const sum = tf.sum(tf.mul(x, w), -1, true);
    // Division by a power of two is exact in float32; the sum stays below 2^24.
    return tf.floor(tf.div(tf.add(sum, 32768), 65536)) as tf.Tensor4D;
  });
}
