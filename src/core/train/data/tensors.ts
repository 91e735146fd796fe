import * as tf from '@tensorflow/tfjs';

/** [n, size, size, 3] float32 in [0, 1] from interleaved RGB bytes. */
export function imageTensor(pixels: readonly Uint8Array[], size: number): tf.Tensor4D {
  const per = size * size * 3;
  const out = new Float32Array(pixels.length * per);
  pixels.forEach((p, i) => {
    const base = i * per;
    for (let j = 0; j < per; j++) out[base + j] = p[j]! / 255;
  });
  return tf.tensor4d(out, [pixels.length, size, size, 3]);
}

/** One-hot targets, softened by label smoothing: y·(1 − ε) + ε / K. */
export function targetTensor(labels: readonly number[], classes: number, smoothing: number): tf.Tensor2D {
  const out = new Float32Array(labels.length * classes).fill(smoothing / classes);
  labels.forEach((label, i) => {
    out[i * classes + label] = 1 - smoothing + smoothing / classes;
  });
  return tf.tensor2d(out, [labels.length, classes]);
}
