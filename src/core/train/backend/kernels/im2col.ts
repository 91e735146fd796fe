import type * as tf from '@tensorflow/tfjs';

/**
 * Copies src[srcStart, srcEnd) to dst[dstAt…]. Views on one buffer (the wasm heap) move with a single
 * memmove and no allocation; separate arrays (cpu backend) go through `set`.
 */
function copyRun(dst: tf.TypedArray, dstAt: number, src: tf.TypedArray, srcStart: number, srcEnd: number, heap: Float32Array | null): void {
  if (srcEnd <= srcStart) return;
  if (heap) {
    const d = dst.byteOffset >> 2;
    const s = src.byteOffset >> 2;
    heap.copyWithin(d + dstAt, s + srcStart, s + srcEnd);
  } else {
    dst.set(src.subarray(srcStart, srcEnd), dstAt);
  }
}

/**
 * Writes the transposed im2col matrix from a channel-major input xT [C, N, H, W]: row k = (r, c, ci)
 * of the filter window, column m = (n, oh, ow) of the output for images firstImage … firstImage +
 * images − 1, zero where the window falls into
 * padding. Every element is written, so `col` need not be zeroed. Row k is the input plane ci shifted
 * by (r, c), so with unit strides it is copied as runs (memmove) instead of element by element, which
 * in JS costs about 2 ns each.
 */
export function im2colTransposed(xT: tf.TypedArray, col: tf.TypedArray, ci: tf.backend_util.Conv2DInfo, firstImage = 0, images = ci.batchSize): void {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: HO, outWidth: WO } = ci;
  const { filterHeight: KH, filterWidth: KW, strideHeight: SH, strideWidth: SW } = ci;
  const { dilationHeight: DH, dilationWidth: DW } = ci;
  const PT = ci.padInfo.top;
  const PL = ci.padInfo.left;
  const M = images * HO * WO;
  const heap = xT.buffer === col.buffer && xT instanceof Float32Array && col instanceof Float32Array ? new Float32Array(col.buffer) : null;
  // With unit strides and equal row lengths, consecutive output rows read consecutive input rows.
  const wholePlanes = SH === 1 && SW === 1 && WO === W;
  for (let r = 0; r < KH; r++) {
    const rowOff = r * DH - PT;
    // Output rows whose input row lies inside the image: ih = oh*SH + rowOff in [0, H).
    const ohLo = Math.min(HO, Math.max(0, Math.ceil(-rowOff / SH)));
    const ohHi = Math.max(ohLo, Math.min(HO, Math.floor((H - 1 - rowOff) / SH) + 1));
    for (let c = 0; c < KW; c++) {
      const colOff = c * DW - PL;
      const owLo = Math.min(WO, Math.max(0, Math.ceil(-colOff / SW)));
      const owHi = Math.max(owLo, Math.min(WO, Math.floor((W - 1 - colOff) / SW) + 1));
      for (let ch = 0; ch < C; ch++) {
        const rowBase = ((r * KW + c) * C + ch) * M;
        for (let i = 0; i < images; i++) {
          const base = rowBase + i * HO * WO;
          const plane = (ch * N + firstImage + i) * H * W;
          col.fill(0, base, base + ohLo * WO);
          col.fill(0, base + ohHi * WO, base + HO * WO);
          if (ohHi === ohLo || owHi === owLo) {
            col.fill(0, base + ohLo * WO, base + ohHi * WO);
            continue;
          }
          if (wholePlanes) {
            // One run from the first valid element to the last; the columns it drags in from
            // neighbouring rows are the padding columns, zeroed just after.
            const src = plane + (ohLo + rowOff) * W + owLo + colOff;
            copyRun(col, base + ohLo * WO + owLo, xT, src, src + (ohHi - ohLo - 1) * WO + (owHi - owLo), heap);
            if (owLo > 0 || owHi < WO) {
              for (let oh = ohLo; oh < ohHi; oh++) {
                const b = base + oh * WO;
                for (let ow = 0; ow < owLo; ow++) col[b + ow] = 0;
                for (let ow = owHi; ow < WO; ow++) col[b + ow] = 0;
              }
            }
            continue;
          }
          for (let oh = ohLo; oh < ohHi; oh++) {
            const b = base + oh * WO;
            const srcRow = plane + (oh * SH + rowOff) * W + colOff;
            for (let ow = 0; ow < owLo; ow++) col[b + ow] = 0;
            if (SW === 1) {
              copyRun(col, b + owLo, xT, srcRow + owLo, srcRow + owHi, heap);
            } else {
              for (let ow = owLo, s = srcRow + owLo * SW; ow < owHi; ow++, s += SW) col[b + ow] = xT[s] as number;
            }
            for (let ow = owHi; ow < WO; ow++) col[b + ow] = 0;
          }
        }
      }
    }
  }
}
