import * as tf from '@tensorflow/tfjs';
import { convInfo } from './conv-info.js';
import { input, kernelConfig, type KernelHost } from './kernel-host.js';

/** dx[n, ih, iw, ci] = Σ dy[n, oh, ow, ci·mult + q] · W[r, c, ci, q]; absent from the wasm backend. */
export function depthwiseConv2dBackpropInput(host: KernelHost, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap): tf.TensorInfo {
  const name = tf.DepthwiseConv2dNativeBackpropInput;
  const dy = input(inputs, 'dy', name);
  const filter = input(inputs, 'filter', name);
  const a = attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
  const info = convInfo(name, a.inputShape, filter.shape, a, true);
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: HO, outWidth: WO, outChannels: CO } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: SH, strideWidth: SW, dilationHeight: DH, dilationWidth: DW } = info;
  const mult = CO / C;
  const PT = info.padInfo.top;
  const PL = info.padInfo.left;

  const out = host.alloc(a.inputShape, 'float32');
  const dx = host.view(out);
  const dyv = host.view(dy);
  const wv = host.view(filter);
  dx.fill(0);
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < HO; oh++) {
      for (let ow = 0; ow < WO; ow++) {
        const db = ((n * HO + oh) * WO + ow) * CO;
        for (let r = 0; r < KH; r++) {
          const ih = oh * SH - PT + r * DH;
          if (ih < 0 || ih >= H) continue;
          for (let c = 0; c < KW; c++) {
            const iw = ow * SW - PL + c * DW;
            if (iw < 0 || iw >= W) continue;
            const xb = ((n * H + ih) * W + iw) * C;
            const f0 = (r * KW + c) * CO;
            for (let ci = 0; ci < C; ci++) {
              let s = 0;
              for (let q = 0; q < mult; q++) s += (dyv[db + ci * mult + q] as number) * (wv[f0 + ci * mult + q] as number);
              dx[xb + ci] = (dx[xb + ci] as number) + s;
            }
          }
        }
      }
    }
  }
  return out;
}

export const depthwiseConv2dBackpropInputKernel = (backend: 'wasm' | 'cpu') =>
  kernelConfig(tf.DepthwiseConv2dNativeBackpropInput, backend, depthwiseConv2dBackpropInput);
