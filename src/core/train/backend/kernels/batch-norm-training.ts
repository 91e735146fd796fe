import * as tf from '@tensorflow/tfjs';
import { channelAffine, channelSums } from './channel-ops.js';
import { input, kernelConfig, type KernelHost } from './kernel-host.js';

/**
 * Training-mode batch normalization over every axis but the last (channels), as two kernels:
 * forward → [y, mean, variance], gradient → [dx, dScale, dOffset]. Each takes a handful of full-size
 * passes where tfjs's composite (moments + FusedBatchNorm and their gradients) takes dozens of
 * element-wise ops and a Tile. On cpu the passes are JS loops (the cpu backend's kernels are JS too);
 * on wasm they are XNNPACK/C++ kernels (channel-ops.ts), since a JS loop costs ~2 ns an element there.
 */
export const BatchNormTraining = 'SmallsetBatchNormTraining';
export const BatchNormTrainingGrad = 'SmallsetBatchNormTrainingGrad';

export interface BatchNormTrainingAttrs {
  varianceEpsilon: number;
}

function channels(x: tf.TensorInfo, kernelName: string): { C: number; M: number } {
  const C = x.shape[x.shape.length - 1];
  if (C === undefined || x.shape.length < 2) throw new Error(`${kernelName}: input must have rank ≥ 2, got shape [${x.shape}].`);
  return { C, M: tf.util.sizeFromShape(x.shape) / C };
}

function batchNormTrainingJs(host: KernelHost, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap): tf.TensorInfo[] {
  const x = input(inputs, 'x', BatchNormTraining);
  const scale = input(inputs, 'scale', BatchNormTraining);
  const offset = input(inputs, 'offset', BatchNormTraining);
  const { varianceEpsilon } = attrs as unknown as BatchNormTrainingAttrs;
  const { C, M } = channels(x, BatchNormTraining);

  const mean = host.alloc([C], 'float32');
  const variance = host.alloc([C], 'float32');
  const xv = host.view(x);
  // Sums shifted by each channel's first value keep E[x²] − E[x]² from cancelling catastrophically.
  const shift = Float64Array.from(xv.subarray(0, C));
  const s1 = new Float64Array(C);
  const s2 = new Float64Array(C);
  for (let i = 0, p = 0; i < M; i++) {
    for (let c = 0; c < C; c++, p++) {
      const d = (xv[p] as number) - (shift[c] as number);
      s1[c] = (s1[c] as number) + d;
      s2[c] = (s2[c] as number) + d * d;
    }
  }
  const mv = host.view(mean);
  const vv = host.view(variance);
  for (let c = 0; c < C; c++) {
    const m = (s1[c] as number) / M;
    mv[c] = (shift[c] as number) + m;
    vv[c] = Math.max(0, (s2[c] as number) / M - m * m);
  }
  const y = host.run('FusedBatchNorm', { x, mean, variance, offset, scale }, { varianceEpsilon });
  return [y, mean, variance];
}

function batchNormTrainingGradJs(host: KernelHost, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap): tf.TensorInfo[] {
  const name = BatchNormTrainingGrad;
  const dy = input(inputs, 'dy', name);
  const x = input(inputs, 'x', name);
  const scale = input(inputs, 'scale', name);
  const mean = input(inputs, 'mean', name);
  const variance = input(inputs, 'variance', name);
  const { varianceEpsilon } = attrs as unknown as BatchNormTrainingAttrs;
  const { C, M } = channels(x, name);

  const dx = host.alloc(x.shape, 'float32');
  const dScale = host.alloc([C], 'float32');
  const dOffset = host.alloc([C], 'float32');
  const dyv = host.view(dy);
  const xv = host.view(x);
  const mv = Float64Array.from(host.view(mean));
  const rstd = Float64Array.from(host.view(variance), (v) => 1 / Math.sqrt(v + varianceEpsilon));
  const g = host.view(scale);
  // Σ dy and Σ dy·(x − mean) per channel.
  const sdy = new Float64Array(C);
  const sdyx = new Float64Array(C);
  for (let i = 0, p = 0; i < M; i++) {
    for (let c = 0; c < C; c++, p++) {
      const d = dyv[p] as number;
      sdy[c] = (sdy[c] as number) + d;
      sdyx[c] = (sdyx[c] as number) + d * ((xv[p] as number) - (mv[c] as number));
    }
  }
  // dx = γ·rstd·(dy − Σdy/M − (x − mean)·rstd²·Σdy(x − mean)/M) = a·dy + b·x + k per channel.
  const a = new Float64Array(C);
  const b = new Float64Array(C);
  const k = new Float64Array(C);
  const ds = host.view(dScale);
  const dof = host.view(dOffset);
  for (let c = 0; c < C; c++) {
    const r = rstd[c] as number;
    const gr = (g[c] as number) * r;
    a[c] = gr;
    b[c] = (-gr * r * r * (sdyx[c] as number)) / M;
    k[c] = (-gr * (sdy[c] as number)) / M - (b[c] as number) * (mv[c] as number);
    ds[c] = (sdyx[c] as number) * r;
    dof[c] = sdy[c] as number;
  }
  const dxv = host.view(dx);
  const a32 = Float32Array.from(a);
  const b32 = Float32Array.from(b);
  const k32 = Float32Array.from(k);
  for (let i = 0, p = 0; i < M; i++) {
    for (let c = 0; c < C; c++, p++) {
      dxv[p] = (a32[c] as number) * (dyv[p] as number) + (b32[c] as number) * (xv[p] as number) + (k32[c] as number);
    }
  }
  return [dx, dScale, dOffset];
}

/** A per-channel [C] tensor filled from `values`. */
function perChannel(host: KernelHost, values: ArrayLike<number>): tf.TensorInfo {
  const t = host.alloc([values.length], 'float32');
  host.view(t).set(values);
  return t;
}

/**
 * The wasm path: every full-size pass is an XNNPACK kernel (average pooling for sums, 1×1 depthwise
 * convolution for per-channel affine maps) or a C++ element-wise kernel; JS touches only per-channel
 * vectors. Statistics are two-pass (centred), so activations far from zero keep an exact variance.
 */
function batchNormTrainingComposed(host: KernelHost, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap): tf.TensorInfo[] {
  const x = input(inputs, 'x', BatchNormTraining);
  const scale = input(inputs, 'scale', BatchNormTraining);
  const offset = input(inputs, 'offset', BatchNormTraining);
  const { varianceEpsilon } = attrs as unknown as BatchNormTrainingAttrs;
  const { C, M } = channels(x, BatchNormTraining);
  const meanValues = channelSums(host, x, M, C).map((v) => v / M);
  const xc = channelAffine(host, x, M, C, new Float64Array(C).fill(1), meanValues.map((m) => -m));
  const sq = host.run('Square', { x: xc });
  host.dispose(xc);
  const varValues = channelSums(host, sq, M, C).map((v) => v / M);
  host.dispose(sq);
  const g = host.view(scale);
  const b = host.view(offset);
  const factor = Float64Array.from(varValues, (v, c) => (g[c] as number) / Math.sqrt(v + varianceEpsilon));
  const shift = Float64Array.from(factor, (f, c) => (b[c] as number) - f * (meanValues[c] as number));
  const y = channelAffine(host, x, M, C, factor, shift);
  return [y, perChannel(host, meanValues), perChannel(host, varValues)];
}

function batchNormTrainingGradComposed(host: KernelHost, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap): tf.TensorInfo[] {
  const name = BatchNormTrainingGrad;
  const dy = input(inputs, 'dy', name);
  const x = input(inputs, 'x', name);
  const scale = input(inputs, 'scale', name);
  const mean = input(inputs, 'mean', name);
  const variance = input(inputs, 'variance', name);
  const { varianceEpsilon } = attrs as unknown as BatchNormTrainingAttrs;
  const { C, M } = channels(x, name);
  const g = Float64Array.from(host.view(scale));
  const mv = Float64Array.from(host.view(mean));
  const rstd = Float64Array.from(host.view(variance), (v) => 1 / Math.sqrt(v + varianceEpsilon));

  const sdy = channelSums(host, dy, M, C);
  const xc = channelAffine(host, x, M, C, new Float64Array(C).fill(1), mv.map((m) => -m));
  const p = host.run('Multiply', { a: dy, b: xc });
  const sdyx = channelSums(host, p, M, C);
  host.dispose(p);
  // dx = γ·rstd·(dy − Σdy/M − (x − mean)·rstd²·Σdy(x − mean)/M) = a·dy + k + b·(x − mean)
  const a = Float64Array.from(g, (gc, c) => gc * (rstd[c] as number));
  const k = Float64Array.from(g, (gc, c) => (-gc * (rstd[c] as number) * (sdy[c] as number)) / M);
  const b = Float64Array.from(g, (gc, c) => (-gc * (rstd[c] as number) ** 3 * (sdyx[c] as number)) / M);
  const t1 = channelAffine(host, dy, M, C, a, k);
  const t2 = channelAffine(host, xc, M, C, b, new Float64Array(C));
  host.dispose(xc);
  const dx = host.run('Add', { a: t1, b: t2 });
  host.dispose(t1);
  host.dispose(t2);
  const dScale = perChannel(host, Float64Array.from(sdyx, (v, c) => v * (rstd[c] as number)));
  const dOffset = perChannel(host, sdy);
  return [dx, dScale, dOffset];
}

export function batchNormTraining(host: KernelHost, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap): tf.TensorInfo[] {
  return host.backendName === 'wasm' ? batchNormTrainingComposed(host, inputs, attrs) : batchNormTrainingJs(host, inputs, attrs);
}

export function batchNormTrainingGrad(host: KernelHost, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap): tf.TensorInfo[] {
  return host.backendName === 'wasm' ? batchNormTrainingGradComposed(host, inputs, attrs) : batchNormTrainingGradJs(host, inputs, attrs);
}

export const batchNormTrainingKernels = (backend: 'wasm' | 'cpu') => [
  kernelConfig(BatchNormTraining, backend, batchNormTraining),
  kernelConfig(BatchNormTrainingGrad, backend, batchNormTrainingGrad),
];
