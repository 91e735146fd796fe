import * as tf from '@tensorflow/tfjs';
import { convInfo } from './conv-info.js';
import { input, kernelConfig, type KernelHost } from './kernel-host.js';

/** dW[r, c, ci, q] = Σ x[n, ih, iw, ci] · dy[n, oh, ow, ci·mult + q]; absent from the wasm backend. */
export function depthwiseConv2dBackpropFilter(host: KernelHost, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap): tf.TensorInfo {
  const name = tf.DepthwiseConv2dNativeBackpropFilter;
  const x = input(inputs, 'x', name);
  const dy = input(inputs, 'dy', name);
  const a = attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
  const info = convInfo(name, x.shape, a.filterShape, a, true);
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: HO, outWidth: WO, outChannels: CO } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: SH, strideWidth: SW, dilationHeight: DH, dilationWidth: DW } = info;
  const mult = CO / C;
  const PT = info.padInfo.top;
  const PL = info.padInfo.left;

  const out = host.alloc(a.filterShape, 'float32');
  const xv = host.view(x);
  const dyv = host.view(dy);
  const acc = new Float64Array(KH * KW * C * mult);
  for (let r = 0; r < KH; r++) {
    for (let c = 0; c < KW; c++) {
      const f0 = (r * KW + c) * C * mult;
      for (let n = 0; n < N; n++) {
        for (let oh = 0; oh < HO; oh++) {
          const ih = oh * SH - PT + r * DH;
          if (ih < 0 || ih >= H) continue;
          for (let ow = 0; ow < WO; ow++) {
            const iw = ow * SW - PL + c * DW;
            if (iw < 0 || iw >= W) continue;
            const xb = ((n * H + ih) * W + iw) * C;
            const db = ((n * HO + oh) * WO + ow) * CO;
            for (let ci = 0; ci < C; ci++) {
              const xval = xv[xb + ci] as number;
              for (let q = 0; q < mult; q++) {
                const k = ci * mult + q;
                acc[f0 + k] = (acc[f0 + k] as number) + xval * (dyv[db + k] as number);
              }
            }
          }
        }
      }
    }
  }
  host.view(out).set(acc);
  return out;
}

export const depthwiseConv2dBackpropFilterKernel = (backend: 'wasm' | 'cpu') =>
  kernelConfig(tf.DepthwiseConv2dNativeBackpropFilter, backend, depthwiseConv2dBackpropFilter);
