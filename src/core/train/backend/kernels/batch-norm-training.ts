import * as tf from '@tensorflow/tfjs';
import { input, kernelConfig, type KernelHost } from './kernel-host.js';

/**
 * Training-mode batch normalization over every axis but the last (channels), as two kernels:
 * forward → [y, mean, variance], gradient → [dx, dScale, dOffset]. Each takes a handful of full-size
 * passes where tfjs's composite (moments + FusedBatchNorm and their gradients) takes dozens of
 * element-wise ops and a Tile. On cpu the passes are JS loops (the cpu backend's kernels are JS too);
 * on wasm they are C++ kernels, since a JS loop over the heap costs ~2 ns an element there.
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

/** Σ over all rows of an [M, C] view: ones[1, M] · x (XNNPACK on wasm, far faster than Sum). */
function columnSums(host: KernelHost, x3: tf.TensorInfo, M: number): Float64Array {
  const ones = host.alloc([1, 1, M], 'float32');
  host.view(ones).fill(1);
  const s = host.run('BatchMatMul', { a: ones, b: x3 }, { transposeA: false, transposeB: false });
  host.dispose(ones);
  const out = Float64Array.from(host.view(s));
  host.dispose(s);
  return out;
}

/**
 * The wasm path: every full-size pass is a C++ kernel (broadcast Sub/Mul/Add, Square) or an XNNPACK
 * matrix product for the sums; JS only touches per-channel vectors. Statistics are two-pass
 * (centred), so activations far from zero keep an exact variance.
 */
function batchNormTrainingComposed(host: KernelHost, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap): tf.TensorInfo[] {
  const x = input(inputs, 'x', BatchNormTraining);
  const scale = input(inputs, 'scale', BatchNormTraining);
  const offset = input(inputs, 'offset', BatchNormTraining);
  const { varianceEpsilon } = attrs as unknown as BatchNormTrainingAttrs;
  const { C, M } = channels(x, BatchNormTraining);
  const x3 = host.run('Reshape', { x }, { shape: [1, M, C] });
  const meanValues = columnSums(host, x3, M).map((v) => v / M);
  const mean = perChannel(host, meanValues);
  const xc = host.run('Sub', { a: x3, b: mean });
  host.dispose(x3);
  const sq = host.run('Square', { x: xc });
  const varValues = columnSums(host, sq, M).map((v) => v / M);
  host.dispose(sq);
  const variance = perChannel(host, varValues);
  const g = host.view(scale);
  const factor = perChannel(host, Float64Array.from(varValues, (v, c) => (g[c] as number) / Math.sqrt(v + varianceEpsilon)));
  const scaled = host.run('Multiply', { a: xc, b: factor });
  host.dispose(xc);
  host.dispose(factor);
  const y3 = host.run('Add', { a: scaled, b: offset });
  host.dispose(scaled);
  const y = host.run('Reshape', { x: y3 }, { shape: x.shape });
  host.dispose(y3);
  return [y, mean, variance];
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
  const rstd = Float64Array.from(host.view(variance), (v) => 1 / Math.sqrt(v + varianceEpsilon));

  const dy3 = host.run('Reshape', { x: dy }, { shape: [1, M, C] });
  const x3 = host.run('Reshape', { x }, { shape: [1, M, C] });
  const sdy = columnSums(host, dy3, M);
  const xc = host.run('Sub', { a: x3, b: mean });
  host.dispose(x3);
  const p = host.run('Multiply', { a: dy3, b: xc });
  const sdyx = columnSums(host, p, M);
  host.dispose(p);
  // dx = γ·rstd·(dy − Σdy/M − (x − mean)·rstd²·Σdy(x − mean)/M) = a·dy + b·(x − mean) + k
  const a = perChannel(host, Float64Array.from(g, (gc, c) => gc * (rstd[c] as number)));
  const b = perChannel(host, Float64Array.from(g, (gc, c) => (-gc * (rstd[c] as number) ** 3 * (sdyx[c] as number)) / M));
  const k = perChannel(host, Float64Array.from(g, (gc, c) => (-gc * (rstd[c] as number) * (sdy[c] as number)) / M));
  const dScale = perChannel(host, Float64Array.from(sdyx, (v, c) => v * (rstd[c] as number)));
  const dOffset = perChannel(host, sdy);
  const t1 = host.run('Multiply', { a: dy3, b: a });
  host.dispose(dy3);
  const t2 = host.run('Multiply', { a: xc, b });
  host.dispose(xc);
  const t3 = host.run('Add', { a: t1, b: t2 });
  host.dispose(t1);
  host.dispose(t2);
  const dx3 = host.run('Add', { a: t3, b: k });
  host.dispose(t3);
  for (const t of [a, b, k]) host.dispose(t);
  const dx = host.run('Reshape', { x: dx3 }, { shape: x.shape });
  host.dispose(dx3);
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
