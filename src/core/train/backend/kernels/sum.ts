import * as tf from '@tensorflow/tfjs';
import { input, kernelConfig, type KernelHost } from './kernel-host.js';

/**
 * Sum over leading axes (bias gradients, batch statistics) as ones[1, rows] · x[rows, cols]: the wasm
 * backend's BatchMatMul runs that through XNNPACK about twenty times faster than its Sum, which
 * transposes the reduced axes to the end first. Other reductions go to the stock kernel.
 */
export function sum(host: KernelHost, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap): tf.TensorInfo {
  const x = input(inputs, 'x', tf.Sum);
  const { axis, keepDims } = attrs as unknown as tf.SumAttrs;
  const rank = x.shape.length;
  const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
  const leading = axes.length > 0 && axes.length < rank && axes.every((a, i) => a === i);
  if (x.dtype !== 'float32' || !leading) return host.runStock(tf.Sum, inputs, attrs);
  const rows = x.shape.slice(0, axes.length).reduce((p, d) => p * d, 1);
  const rest = x.shape.slice(axes.length);
  const cols = rest.reduce((p, d) => p * d, 1);
  if (rows === 0 || cols === 0) return host.runStock(tf.Sum, inputs, attrs);

  const ones = host.alloc([1, 1, rows], 'float32');
  host.view(ones).fill(1);
  const x3 = host.run('Reshape', { x }, { shape: [1, rows, cols] });
  const s = host.run('BatchMatMul', { a: ones, b: x3 }, { transposeA: false, transposeB: false });
  host.dispose(ones);
  host.dispose(x3);
  const out = host.run('Reshape', { x: s }, { shape: keepDims ? [...axes.map(() => 1), ...rest] : rest });
  host.dispose(s);
  return out;
}

export const sumKernel = (backend: 'wasm' | 'cpu') => kernelConfig(tf.Sum, backend, sum);
