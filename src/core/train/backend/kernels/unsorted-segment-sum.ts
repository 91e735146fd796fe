import * as tf from '@tensorflow/tfjs';
import { input, kernelConfig, type KernelHost } from './kernel-host.js';

/**
 * out[s, …] = Σ over rows i with segmentIds[i] = s of x[i, …]; ids outside [0, numSegments) are
 * dropped, as in TensorFlow. Absent from the wasm backend; GatherV2's gradient needs it.
 */
export function unsortedSegmentSum(host: KernelHost, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap): tf.TensorInfo {
  const name = tf.UnsortedSegmentSum;
  const x = input(inputs, 'x', name);
  const segmentIds = input(inputs, 'segmentIds', name);
  const { numSegments } = attrs as unknown as tf.UnsortedSegmentSumAttrs;
  if (x.dtype === 'string' || x.dtype === 'complex64') throw new Error(`${name}: dtype ${x.dtype} is not supported.`);
  const rows = segmentIds.shape.reduce((p, d) => p * d, 1);
  const inner = tf.util.sizeFromShape(x.shape) / Math.max(rows, 1);
  const outShape = [numSegments, ...x.shape.slice(segmentIds.shape.length)];
  const out = host.alloc(outShape, x.dtype);
  const o = host.view(out);
  const xv = host.view(x);
  const ids = host.view(segmentIds);
  o.fill(0);
  for (let i = 0; i < rows; i++) {
    const s = ids[i] as number;
    if (s < 0 || s >= numSegments) continue;
    const src = i * inner;
    const dst = s * inner;
    for (let j = 0; j < inner; j++) o[dst + j] = (o[dst + j] as number) + (xv[src + j] as number);
  }
  return out;
}

export const unsortedSegmentSumKernel = (backend: 'wasm' | 'cpu') => kernelConfig(tf.UnsortedSegmentSum, backend, unsortedSegmentSum);
