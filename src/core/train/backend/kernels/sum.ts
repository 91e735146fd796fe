import * as tf from '@tensorflow/tfjs';
import { channelSums } from './channel-ops.js';
import { input, kernelConfig, type KernelHost } from './kernel-host.js';

/**
 * Sum over leading axes (bias gradients) through XNNPACK average pooling (channel-ops.ts), where the
 * wasm backend's Sum first transposes the reduced axes to the end. Other reductions go to the stock
 * kernel.
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

  const sums = channelSums(host, x, rows, cols);
  const out = host.alloc(keepDims ? [...axes.map(() => 1), ...rest] : rest, 'float32');
  host.view(out).set(sums);
  return out;
}

export const sumKernel = (backend: 'wasm' | 'cpu') => kernelConfig(tf.Sum, backend, sum);
