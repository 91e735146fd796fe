import * as tf from '@tensorflow/tfjs';
import { convInfo } from './conv-info.js';
import { gemmJs } from './gemm-js.js';
import { input, kernelConfig, type KernelHost } from './kernel-host.js';

/**
 * Conv2D for the cpu backend as im2col · W with the JS GEMM (gemm-js.ts), several times faster than
 * tfjs's direct loop. Our Conv2DBackpropInput runs on it too (a convolution with the rotated filter).
 */
export function conv2dCpu(host: KernelHost, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap): tf.TensorInfo {
  const name = tf.Conv2D;
  const x = input(inputs, 'x', name);
  const filter = input(inputs, 'filter', name);
  const a = attrs as unknown as tf.Conv2DAttrs;
  if (a.dataFormat === 'NCHW') return host.runStock(name, inputs, attrs);
  const info = convInfo(name, x.shape, filter.shape, a);
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: HO, outWidth: WO, outChannels: CO } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: SH, strideWidth: SW, dilationHeight: DH, dilationWidth: DW } = info;
  const PT = info.padInfo.top;
  const PL = info.padInfo.left;
  const K = KH * KW * C;
  const M = N * HO * WO;

  const out = host.alloc(info.outShape, 'float32');
  const xv = host.view(x);
  // col[m, (r, c, ci)]: each window's pixels, channels contiguous as in the filter's [KH, KW, C, CO].
  const col = new Float32Array(M * K);
  for (let n = 0, m = 0; n < N; n++) {
    for (let oh = 0; oh < HO; oh++) {
      for (let ow = 0; ow < WO; ow++, m++) {
        let dst = m * K;
        for (let r = 0; r < KH; r++) {
          const ih = oh * SH - PT + r * DH;
          for (let c = 0; c < KW; c++, dst += C) {
            const iw = ow * SW - PL + c * DW;
            if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue; // col is zero-initialized
            const src = ((n * H + ih) * W + iw) * C;
            for (let ch = 0; ch < C; ch++) col[dst + ch] = xv[src + ch] as number;
          }
        }
      }
    }
  }
  gemmJs(col, host.view(filter), M, K, CO, host.view(out) as Float32Array);
  return out;
}

/** FusedConv2D (conv + bias + linear/ReLU) on the fast Conv2D; other activations use the stock kernel. */
export function fusedConv2dCpu(host: KernelHost, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap): tf.TensorInfo {
  const a = attrs as unknown as tf.FusedConv2DAttrs;
  const bias = inputs.bias;
  const simpleBias = !bias || bias.shape.length <= 1;
  if (a.dataFormat === 'NCHW' || !simpleBias || (a.activation !== 'linear' && a.activation !== 'relu')) {
    return host.runStock(tf.FusedConv2D, inputs, attrs);
  }
  let y = conv2dCpu(host, { x: input(inputs, 'x', tf.FusedConv2D), filter: input(inputs, 'filter', tf.FusedConv2D) }, attrs);
  if (bias) {
    const withBias = host.run('Add', { a: y, b: bias });
    host.dispose(y);
    y = withBias;
  }
  if (a.activation === 'relu') {
    const activated = host.run('Relu', { x: y });
    host.dispose(y);
    y = activated;
  }
  return y;
}

export const conv2dCpuKernels = () => [kernelConfig(tf.Conv2D, 'cpu', conv2dCpu), kernelConfig(tf.FusedConv2D, 'cpu', fusedConv2dCpu)];
