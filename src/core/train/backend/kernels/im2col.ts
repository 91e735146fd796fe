import type * as tf from '@tensorflow/tfjs';

/**
 * Writes the transposed im2col matrix of an NHWC input: row k = (r, c, ci) of the filter window,
 * column m = (n, oh, ow) of the output, zero where the window falls into padding. Every element is
 * written, so `col` need not be zeroed first.
 */
export function im2colTransposed(x: tf.TypedArray, col: tf.TypedArray, ci: tf.backend_util.Conv2DInfo): void {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: Ho, outWidth: Wo } = ci;
  const { filterHeight: KH, filterWidth: KW, strideHeight: SH, strideWidth: SW } = ci;
  const { dilationHeight: DH, dilationWidth: DW } = ci;
  const PT = ci.padInfo.top;
  const PL = ci.padInfo.left;
  const M = N * Ho * Wo;
  const xStrideW = C * SW;
  for (let r = 0; r < KH; r++) {
    for (let c = 0; c < KW; c++) {
      const colOff = c * DW - PL;
      // Output columns whose input column lies inside the image: iw = ow*SW + colOff in [0, W).
      const owLo = Math.min(Wo, Math.max(0, Math.ceil(-colOff / SW)));
      const owHi = Math.max(owLo, Math.min(Wo, Math.floor((W - 1 - colOff) / SW) + 1));
      for (let ch = 0; ch < C; ch++) {
        const rowBase = ((r * KW + c) * C + ch) * M;
        for (let n = 0; n < N; n++) {
          for (let oh = 0; oh < Ho; oh++) {
            const base = rowBase + (n * Ho + oh) * Wo;
            const ih = oh * SH - PT + r * DH;
            if (ih < 0 || ih >= H) {
              col.fill(0, base, base + Wo);
              continue;
            }
            if (owLo > 0) col.fill(0, base, base + owLo);
            let src = ((n * H + ih) * W + owLo * SW + colOff) * C + ch;
            for (let ow = owLo; ow < owHi; ow++) {
              col[base + ow] = x[src] as number;
              src += xStrideW;
            }
            if (owHi < Wo) col.fill(0, base + owHi, base + Wo);
          }
        }
      }
    }
  }
}
