import * as tf from '@tensorflow/tfjs';
import { input, kernelConfig, type KernelHost } from './kernel-host.js';

/**
 * Routes each output's gradient to the first maximum of its window (row-major, as tfjs's cpu backend
 * does). Replaces the wasm kernel, whose running max starts at the smallest positive float and so
 * misroutes windows whose maximum is ≤ 0. Channels are the inner loop to read NHWC memory in order.
 */
export function maxPoolGrad(host: KernelHost, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap): tf.TensorInfo {
  const name = tf.MaxPoolGrad;
  const dy = input(inputs, 'dy', name);
  const x = input(inputs, 'input', name);
  const a = attrs as unknown as tf.MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(x.shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: HO, outWidth: WO } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: SH, strideWidth: SW } = info;
  const PT = info.padInfo.top;
  const PL = info.padInfo.left;

  const out = host.alloc(x.shape, 'float32');
  const dx = host.view(out);
  const xv = host.view(x);
  const dyv = host.view(dy);
  dx.fill(0);
  const best = new Float32Array(C);
  const where = new Int32Array(C);
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < HO; oh++) {
      const h0 = Math.max(0, oh * SH - PT);
      const h1 = Math.min(H, oh * SH - PT + KH);
      for (let ow = 0; ow < WO; ow++) {
        const w0 = Math.max(0, ow * SW - PL);
        const w1 = Math.min(W, ow * SW - PL + KW);
        best.fill(-Infinity);
        where.fill(-1);
        for (let h = h0; h < h1; h++) {
          for (let w = w0; w < w1; w++) {
            const base = ((n * H + h) * W + w) * C;
            for (let c = 0; c < C; c++) {
              const v = xv[base + c] as number;
              if (v > (best[c] as number)) {
                best[c] = v;
                where[c] = base + c;
              }
            }
          }
        }
        const g = ((n * HO + oh) * WO + ow) * C;
        for (let c = 0; c < C; c++) {
          const at = where[c] as number;
          if (at >= 0) dx[at] = (dx[at] as number) + (dyv[g + c] as number);
        }
      }
    }
  }
  return out;
}

export const maxPoolGradKernel = (backend: 'wasm' | 'cpu') => kernelConfig(tf.MaxPoolGrad, backend, maxPoolGrad);
