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
  if (KH === 2 && KW === 2 && SH === 2 && SW === 2 && PT === 0 && PL === 0 && 2 * HO <= H && 2 * WO <= W) {
    pool2x2Grad(xv, dyv, dx, N, H, W, C, HO, WO);
    return out;
  }
  dx.fill(0);
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < HO; oh++) {
      const h0 = Math.max(0, oh * SH - PT);
      const h1 = Math.min(H, oh * SH - PT + KH);
      for (let ow = 0; ow < WO; ow++) {
        const w0 = Math.max(0, ow * SW - PL);
        const w1 = Math.min(W, ow * SW - PL + KW);
        const g = ((n * HO + oh) * WO + ow) * C;
        const corner = ((n * H + h0) * W + w0) * C;
        for (let c = 0; c < C; c++) {
          let best = -Infinity;
          let at = -1;
          for (let h = h0, row = corner + c; h < h1; h++, row += W * C) {
            for (let w = w0, i = row; w < w1; w++, i += C) {
              const v = xv[i] as number;
              if (v > best) {
                best = v;
                at = i;
              }
            }
          }
          if (at >= 0) dx[at] = (dx[at] as number) + (dyv[g + c] as number);
        }
      }
    }
  }
  return out;
}

/**
 * The common 2×2 / stride 2 case: windows never overlap, so after one native zero fill each window
 * writes its gradient once, at its first maximum, with the comparisons unrolled.
 */
function pool2x2Grad(xv: tf.TypedArray, dyv: tf.TypedArray, dx: tf.TypedArray, N: number, H: number, W: number, C: number, HO: number, WO: number): void {
  dx.fill(0);
  const rowStep = W * C;
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < HO; oh++) {
      let g = (n * HO + oh) * WO * C;
      for (let ow = 0; ow < WO; ow++) {
        const i00 = ((n * H + 2 * oh) * W + 2 * ow) * C;
        const i01 = i00 + C;
        const i10 = i00 + rowStep;
        const i11 = i10 + C;
        for (let c = 0; c < C; c++, g++) {
          let m = xv[i00 + c] as number;
          let at = i00 + c;
          const b = xv[i01 + c] as number;
          if (b > m) {
            m = b;
            at = i01 + c;
          }
          const d = xv[i10 + c] as number;
          if (d > m) {
            m = d;
            at = i10 + c;
          }
          if ((xv[i11 + c] as number) > m) at = i11 + c;
          dx[at] = dyv[g] as number;
        }
      }
    }
  }
}

export const maxPoolGradKernel = (backend: 'wasm' | 'cpu') => kernelConfig(tf.MaxPoolGrad, backend, maxPoolGrad);
