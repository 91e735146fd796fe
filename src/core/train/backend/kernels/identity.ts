import * as tf from '@tensorflow/tfjs';
import { input, kernelConfig, type KernelHost } from './kernel-host.js';

/**
 * Identity by reference, as the cpu backend does it. The wasm backend's copies the whole tensor, and
 * training calls it for every tensor saved for the backward pass (engine.clone) and every same-dtype
 * cast (ReLU's gradient casts its step mask to float32).
 */
export function identity(host: KernelHost, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap): tf.TensorInfo {
  const x = input(inputs, 'x', tf.Identity);
  if (x.dtype === 'string') return host.runStock(tf.Identity, inputs, attrs);
  return host.share(x);
}

export const identityKernel = (backend: 'wasm' | 'cpu') => kernelConfig(tf.Identity, backend, identity);
