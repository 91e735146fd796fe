import type * as tf from '@tensorflow/tfjs';
import type { KernelHost } from './kernel-host.js';

/**
 * Per-channel building blocks on the wasm backend's XNNPACK kernels, for tensors viewed as M rows of
 * C channels. Measured on 2M-element activations (fresh tensors, CPU time): XNNPACK average pooling
 * sums rows in ~1.4 ms, a 1×1 depthwise convolution applies a per-channel affine map in ~0.9 ms;
 * ones[1, M] · x through BatchMatMul took ~12 ms (it repacks x as weights on every call), broadcast
 * Multiply + Add ~5 ms, a JS loop ~7 ms.
 */

/** Split M rows as R × L with R near √M: a pooling window of R rows, then L partial sums in JS. */
function rowSplit(M: number): number {
  for (let r = Math.floor(Math.sqrt(M)); r > 1; r--) if (M % r === 0) return r;
  return M; // prime: one window over every row
}

/** Σ over the M rows of x (any shape with M·C elements), per channel, accumulated in float64 at the end. */
export function channelSums(host: KernelHost, x: tf.TensorInfo, M: number, C: number): Float64Array {
  const R = rowSplit(M);
  const L = M / R;
  const x4 = host.run('Reshape', { x }, { shape: [1, R, L, C] });
  const means = host.run('AvgPool', { x: x4 }, { filterSize: [R, 1], strides: [R, 1], pad: 'valid' } as unknown as tf.NamedAttrMap);
  host.dispose(x4);
  const v = host.view(means);
  const sums = new Float64Array(C);
  for (let l = 0, p = 0; l < L; l++) for (let c = 0; c < C; c++, p++) sums[c] = (sums[c] as number) + (v[p] as number) * R;
  host.dispose(means);
  return sums;
}

/** scale[c]·x + shift[c] as a 1×1 depthwise convolution with bias; returns a tensor shaped like x. */
export function channelAffine(host: KernelHost, x: tf.TensorInfo, M: number, C: number, scale: ArrayLike<number>, shift: ArrayLike<number>): tf.TensorInfo {
  const filter = host.alloc([1, 1, C, 1], 'float32');
  const bias = host.alloc([C], 'float32');
  host.view(filter).set(scale);
  host.view(bias).set(shift);
  const x4 = host.run('Reshape', { x }, { shape: [1, M, 1, C] });
  const y4 = host.run('FusedDepthwiseConv2D', { x: x4, filter, bias }, {
    strides: [1, 1],
    pad: 'valid',
    dilations: [1, 1],
    dataFormat: 'NHWC',
    activation: 'linear',
  } as unknown as tf.NamedAttrMap);
  host.dispose(x4);
  host.dispose(filter);
  host.dispose(bias);
  const y = host.run('Reshape', { x: y4 }, { shape: x.shape });
  host.dispose(y4);
  return y;
}
