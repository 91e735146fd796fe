import * as tf from '@tensorflow/tfjs';
import { convInfo } from './conv-info.js';
import { gemmJs } from './gemm-js.js';
import { im2colTransposed } from './im2col.js';
import { input, kernelConfig, type KernelHost } from './kernel-host.js';

/**
 * dW[(r,c,ci), co] = im2col(x)ᵀ · dy as one batch-1, untransposed matrix product, the shape for which
 * the wasm backend's BatchMatMul takes its fast XNNPACK path; on cpu a JS GEMM (gemm-js.ts).
 */
export function conv2dBackpropFilter(host: KernelHost, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap): tf.TensorInfo {
  const name = tf.Conv2DBackpropFilter;
  const x = input(inputs, 'x', name);
  const dy = input(inputs, 'dy', name);
  const a = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const info = convInfo(name, x.shape, a.filterShape, a);
  const K = info.filterHeight * info.filterWidth * info.inChannels;
  const M = info.batchSize * info.outHeight * info.outWidth;

  // Channel-major input makes every im2col row a shifted copy of one input plane.
  const x2 = host.run('Reshape', { x }, { shape: [info.batchSize * info.inHeight * info.inWidth, info.inChannels] });
  const xT = host.run('Transpose', { x: x2 }, { perm: [1, 0] });
  host.dispose(x2);
  const col = host.alloc([1, K, M], 'float32');
  im2colTransposed(host.view(xT), host.view(col), info);
  host.dispose(xT);
  if (host.backendName === 'cpu') {
    const dw = host.alloc(a.filterShape, 'float32');
    gemmJs(host.view(col), host.view(dy), K, M, info.outChannels, host.view(dw) as Float32Array);
    host.dispose(col);
    return dw;
  }
  const dy3 = host.run('Reshape', { x: dy }, { shape: [1, M, info.outChannels] });
  const dw3 = host.run('BatchMatMul', { a: col, b: dy3 }, { transposeA: false, transposeB: false });
  host.dispose(col);
  host.dispose(dy3);
  const dw = host.run('Reshape', { x: dw3 }, { shape: a.filterShape });
  host.dispose(dw3);
  return dw;
}

export const conv2dBackpropFilterKernel = (backend: 'wasm' | 'cpu') =>
  kernelConfig(tf.Conv2DBackpropFilter, backend, conv2dBackpropFilter);
