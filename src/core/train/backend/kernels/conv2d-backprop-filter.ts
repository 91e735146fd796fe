import * as tf from '@tensorflow/tfjs';
import { convInfo } from './conv-info.js';
import { gemmJs } from './gemm-js.js';
import { im2colTransposed } from './im2col.js';
import { input, kernelConfig, type KernelHost } from './kernel-host.js';

/** Output pixels per wasm matrix product: dy's slice (the packed "weights") then stays in L2. */
const CHUNK_PIXELS = 16384;

/**
 * dW[(r,c,ci), co] = im2col(x)ᵀ · dy. On wasm as a sum of batch-1, untransposed matrix products over
 * chunks of whole images, the shape for which BatchMatMul takes its XNNPACK path. XNNPACK treats dy
 * as the weights and repacks it on every call; one product over the whole batch streams all of dy
 * from memory once per four rows of im2colᵀ, while chunks keep each slice cache-resident. On cpu, one
 * JS GEMM (gemm-js.ts).
 */
export function conv2dBackpropFilter(host: KernelHost, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap): tf.TensorInfo {
  const name = tf.Conv2DBackpropFilter;
  const x = input(inputs, 'x', name);
  const dy = input(inputs, 'dy', name);
  const a = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const info = convInfo(name, x.shape, a.filterShape, a);
  const K = info.filterHeight * info.filterWidth * info.inChannels;
  const CO = info.outChannels;
  const pixels = info.outHeight * info.outWidth;
  const N = info.batchSize;

  // Channel-major input makes every im2col row a shifted copy of one input plane.
  const x2 = host.run('Reshape', { x }, { shape: [N * info.inHeight * info.inWidth, info.inChannels] });
  const xT = host.run('Transpose', { x: x2 }, { perm: [1, 0] });
  host.dispose(x2);
  if (host.backendName === 'cpu') {
    const col = host.alloc([K, N * pixels], 'float32');
    const dw = host.alloc(a.filterShape, 'float32');
    im2colTransposed(host.view(xT), host.view(col), info);
    gemmJs(host.view(col), host.view(dy), K, N * pixels, CO, host.view(dw) as Float32Array);
    host.dispose(col);
    host.dispose(xT);
    return dw;
  }

  const perChunk = Math.max(1, Math.floor(CHUNK_PIXELS / Math.max(pixels, 1)));
  const acc = new Float64Array(K * CO);
  for (let n0 = 0; n0 < N; n0 += perChunk) {
    const images = Math.min(perChunk, N - n0);
    const m = images * pixels;
    const col = host.alloc([1, K, m], 'float32');
    const dyChunk = host.alloc([1, m, CO], 'float32');
    const dyv = host.view(dy);
    host.view(dyChunk).set(dyv.subarray(n0 * pixels * CO, (n0 + images) * pixels * CO));
    im2colTransposed(host.view(xT), host.view(col), info, n0, images);
    const part = host.run('BatchMatMul', { a: col, b: dyChunk }, { transposeA: false, transposeB: false });
    const pv = host.view(part);
    for (let i = 0; i < acc.length; i++) acc[i] = (acc[i] as number) + (pv[i] as number);
    host.dispose(part);
    host.dispose(col);
    host.dispose(dyChunk);
  }
  host.dispose(xT);
  const dw = host.alloc(a.filterShape, 'float32');
  host.view(dw).set(acc);
  return dw;
}

export const conv2dBackpropFilterKernel = (backend: 'wasm' | 'cpu') =>
  kernelConfig(tf.Conv2DBackpropFilter, backend, conv2dBackpropFilter);
