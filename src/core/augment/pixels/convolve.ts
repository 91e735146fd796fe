import type { RawImage } from '../op.js';
import { blurWasm } from './wasm/kernels.js';

function reflectIndex(i: number, n: number): number {
  if (n <= 1) return 0;
  while (i < 0 || i >= n) i = i < 0 ? -i : 2 * (n - 1) - i;
  return i;
}

/** torchvision's kernel: exp(-x²/2σ²) at integer offsets, normalised, in 12-bit fixed point summing to 4096. */
export function gaussianWeights(kernelSize: number, sigma: number): Int32Array {
  const r = (kernelSize - 1) / 2;
  const f = new Float64Array(kernelSize);
  let sum = 0;
  for (let t = 0; t < kernelSize; t++) {
    const x = (t - r) / sigma;
    f[t] = Math.exp(-0.5 * x * x);
    sum += f[t]!;
  }
  const w = new Int32Array(kernelSize);
  let total = 0;
  for (let t = 0; t < kernelSize; t++) {
    w[t] = Math.round((f[t]! / sum) * 4096);
    total += w[t]!;
  }
  w[r]! += 4096 - total;
  return w;
}

/** The odd kernel size torchvision would need for σ (±3σ covered), capped so tiny images stay cheap. */
export function autoKernelSize(sigma: number): number {
  return Math.min(2 * Math.ceil(3 * sigma) + 1, 255);
}

/** `d`'s rows with `r` reflected pixels added on each side, into `padded` (length (W + 2r)·3). */
function padRow(d: Uint8Array, row: number, W: number, r: number, padded: Uint8Array): void {
  const stride = W * 3;
  padded.set(d.subarray(row, row + stride), r * 3);
  for (let t = 0; t < r; t++) {
    const left = row + reflectIndex(t - r, W) * 3;
    const right = row + reflectIndex(W + t, W) * 3;
    const pr = (W + r + t) * 3;
    padded[t * 3] = d[left]!;
    padded[t * 3 + 1] = d[left + 1]!;
    padded[t * 3 + 2] = d[left + 2]!;
    padded[pr] = d[right]!;
    padded[pr + 1] = d[right + 1]!;
    padded[pr + 2] = d[right + 2]!;
  }
}

/** `gaussianWeights` without the outer taps that round to weight 0 (they change nothing). */
export function blurWeights(kernelSize: number, sigma: number): Int32Array {
  const full = gaussianWeights(kernelSize, sigma);
  let trim = 0;
  while (trim < full.length >> 1 && full[trim] === 0) trim++;
  return full.subarray(trim, full.length - trim);
}

/**
 * Separable Gaussian blur with reflect borders; two fixed-point passes in wasm/kernels.c, with the
 * same bytes as `blurReference`.
 */
export function gaussianBlur(src: RawImage, kernelSize: number, sigma: number): RawImage {
  const { width: W, height: H } = src;
  const w = blurWeights(kernelSize, sigma);
  const r = (w.length - 1) >> 1;
  if (r === 0) return { data: src.data.slice(), width: W, height: H, channels: 3 };
  return { data: blurWasm(src.data, W, H, w, r), width: W, height: H, channels: 3 };
}

/**
 * The same blur in TypeScript (the wasm kernel's reference in tests): `real` holds the weights
 * left after trimming, zero-padded here to a radius of 2, 4 or more.
 */
export function blurReference(src: RawImage, real: Int32Array): RawImage {
  const { width: W, height: H } = src;
  const d = src.data;
  const realR = (real.length - 1) >> 1;
  const r = realR <= 2 ? 2 : realR <= 4 ? 4 : realR;
  // Weights centred in a kernel of radius r (extra taps weigh 0).
  const w = new Int32Array(2 * r + 1);
  w.set(real, r - realR);
  const stride = W * 3;
  const tmp = new Uint16Array(W * H * 3);
  const padded = new Uint8Array((W + 2 * r) * 3);
  const rowsA = new Int32Array(r);
  const rowsB = new Int32Array(r);
  const out = new Uint8Array(d.length);
  const acc = new Int32Array(r > 4 ? stride : 0);
  for (let y = 0; y < H; y++) {
    padRow(d, y * stride, W, r, padded);
    if (r === 2) horizontal2(padded, tmp, y * stride, stride, w);
    else if (r === 4) horizontal4(padded, tmp, y * stride, stride, w);
    else horizontalN(padded, tmp, y * stride, stride, w, r, acc);
  }
  for (let y = 0; y < H; y++) {
    for (let t = 0; t < r; t++) {
      rowsA[t] = reflectIndex(y + t - r, H) * stride;
      rowsB[t] = reflectIndex(y + r - t, H) * stride;
    }
    if (r === 2) vertical2(tmp, out, y * stride, stride, w, rowsA, rowsB);
    else if (r === 4) vertical4(tmp, out, y * stride, stride, w, rowsA, rowsB);
    else verticalN(tmp, out, y * stride, stride, w, r, rowsA, rowsB, acc);
  }
  return { data: out, width: W, height: H, channels: 3 };
}

// Horizontal passes: padded 8-bit row → 16-bit (value × 16).
function horizontal2(p: Uint8Array, tmp: Uint16Array, row: number, stride: number, w: Int32Array): void {
  const w0 = w[0]!;
  const w1 = w[1]!;
  const wc = w[2]!;
  for (let j = 0; j < stride; j++) {
    tmp[row + j] = (wc * p[j + 6]! + w0 * (p[j]! + p[j + 12]!) + w1 * (p[j + 3]! + p[j + 9]!) + 128) >> 8;
  }
}

function horizontal4(p: Uint8Array, tmp: Uint16Array, row: number, stride: number, w: Int32Array): void {
  const [w0, w1, w2, w3, wc] = [w[0]!, w[1]!, w[2]!, w[3]!, w[4]!];
  for (let j = 0; j < stride; j++) {
    tmp[row + j] =
      (wc * p[j + 12]! + w0 * (p[j]! + p[j + 24]!) + w1 * (p[j + 3]! + p[j + 21]!) + w2 * (p[j + 6]! + p[j + 18]!) + w3 * (p[j + 9]! + p[j + 15]!) + 128) >> 8;
  }
}

/** Any radius, tap-major: one tight pass over the row per mirrored pair. */
function horizontalN(p: Uint8Array, tmp: Uint16Array, row: number, stride: number, w: Int32Array, r: number, acc: Int32Array): void {
  const wc = w[r]!;
  const c = 3 * r;
  for (let j = 0; j < stride; j++) acc[j] = wc * p[j + c]! + 128;
  for (let t = 0; t < r; t++) {
    const wt = w[t]!;
    const b = 6 * r - 3 * t;
    const a = 3 * t;
    for (let j = 0; j < stride; j++) acc[j]! += wt * (p[a + j]! + p[b + j]!);
  }
  for (let j = 0; j < stride; j++) tmp[row + j] = acc[j]! >> 8;
}

// Vertical passes: mirrored pairs of 16-bit rows → 8-bit output row.
function vertical2(tmp: Uint16Array, out: Uint8Array, row: number, stride: number, w: Int32Array, A: Int32Array, B: Int32Array): void {
  const w0 = w[0]!;
  const w1 = w[1]!;
  const wc = w[2]!;
  const a0 = A[0]!;
  const a1 = A[1]!;
  const b0 = B[0]!;
  const b1 = B[1]!;
  for (let j = 0; j < stride; j++) {
    out[row + j] = (wc * tmp[row + j]! + w0 * (tmp[a0 + j]! + tmp[b0 + j]!) + w1 * (tmp[a1 + j]! + tmp[b1 + j]!) + 32768) >> 16;
  }
}

function vertical4(tmp: Uint16Array, out: Uint8Array, row: number, stride: number, w: Int32Array, A: Int32Array, B: Int32Array): void {
  const [w0, w1, w2, w3, wc] = [w[0]!, w[1]!, w[2]!, w[3]!, w[4]!];
  const [a0, a1, a2, a3] = [A[0]!, A[1]!, A[2]!, A[3]!];
  const [b0, b1, b2, b3] = [B[0]!, B[1]!, B[2]!, B[3]!];
  for (let j = 0; j < stride; j++) {
    out[row + j] =
      (wc * tmp[row + j]! +
        w0 * (tmp[a0 + j]! + tmp[b0 + j]!) +
        w1 * (tmp[a1 + j]! + tmp[b1 + j]!) +
        w2 * (tmp[a2 + j]! + tmp[b2 + j]!) +
        w3 * (tmp[a3 + j]! + tmp[b3 + j]!) +
        32768) >>
      16;
  }
}

function verticalN(tmp: Uint16Array, out: Uint8Array, row: number, stride: number, w: Int32Array, r: number, A: Int32Array, B: Int32Array, acc: Int32Array): void {
  const wc = w[r]!;
  for (let j = 0; j < stride; j++) acc[j] = wc * tmp[row + j]! + 32768;
  for (let t = 0; t < r; t++) {
    const wt = w[t]!;
    const a = A[t]!;
    const b = B[t]!;
    for (let j = 0; j < stride; j++) acc[j]! += wt * (tmp[a + j]! + tmp[b + j]!);
  }
  for (let j = 0; j < stride; j++) out[row + j] = acc[j]! >> 16;
}

/**
 * torchvision adjust_sharpness: blend with the image smoothed by [1 1 1; 1 5 1; 1 1 1]/13
 * (border pixels unsmoothed). factor 0 = smooth, 1 = unchanged, 2 = twice as sharp.
 */
export function sharpen(src: RawImage, factor: number): RawImage {
  const { width: W, height: H } = src;
  const d = src.data;
  const out = new Uint8Array(d.length);
  out.set(d);
  if (W < 3 || H < 3) return { data: out, width: W, height: H, channels: 3 };
  const clamped = new Uint8ClampedArray(out.buffer);
  const f = Math.round(factor * 256);
  const stride = W * 3;
  for (let y = 1; y < H - 1; y++) {
    for (let j = y * stride + 3, end = y * stride + stride - 3; j < end; j++) {
      const up = j - stride;
      const dn = j + stride;
      const sum = d[up - 3]! + d[up]! + d[up + 3]! + d[j - 3]! + 5 * d[j]! + d[j + 3]! + d[dn - 3]! + d[dn]! + d[dn + 3]!;
      const smooth = ((sum * 2 + 13) / 26) | 0;
      clamped[j] = smooth + ((f * (d[j]! - smooth) + 128) >> 8);
    }
  }
  return { data: out, width: W, height: H, channels: 3 };
}
