import type { RawImage } from '../op.js';

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

/** Separable Gaussian blur with reflect borders; two fixed-point passes. */
export function gaussianBlur(src: RawImage, kernelSize: number, sigma: number): RawImage {
  const { width: W, height: H } = src;
  const d = src.data;
  const w = gaussianWeights(kernelSize, sigma);
  const r = (kernelSize - 1) >> 1;
  const stride = W * 3;
  // Horizontal pass into 16-bit (value × 16) rows.
  const tmp = new Uint16Array(W * H * 3);
  const padded = new Uint8Array((W + 2 * r) * 3);
  for (let y = 0; y < H; y++) {
    const row = y * stride;
    padded.set(d.subarray(row, row + stride), r * 3);
    for (let t = 0; t < r; t++) {
      const left = reflectIndex(t - r, W) * 3;
      const right = reflectIndex(W + t, W) * 3;
      padded[t * 3] = d[row + left]!;
      padded[t * 3 + 1] = d[row + left + 1]!;
      padded[t * 3 + 2] = d[row + left + 2]!;
      const pr = (W + r + t) * 3;
      padded[pr] = d[row + right]!;
      padded[pr + 1] = d[row + right + 1]!;
      padded[pr + 2] = d[row + right + 2]!;
    }
    for (let j = 0; j < stride; j++) {
      let acc = 0;
      for (let t = 0, p = j; t < kernelSize; t++, p += 3) acc += w[t]! * padded[p]!;
      tmp[row + j] = (acc + 128) >> 8;
    }
  }
  // Vertical pass, one output row at a time from the reflected source rows.
  const out = new Uint8Array(d.length);
  const acc = new Int32Array(stride);
  for (let y = 0; y < H; y++) {
    acc.fill(1 << 15);
    for (let t = 0; t < kernelSize; t++) {
      const wt = w[t]!;
      if (wt === 0) continue;
      const sr = reflectIndex(y + t - r, H) * stride;
      for (let j = 0; j < stride; j++) acc[j]! += wt * tmp[sr + j]!;
    }
    const row = y * stride;
    for (let j = 0; j < stride; j++) out[row + j] = acc[j]! >> 16;
  }
  return { data: out, width: W, height: H, channels: 3 };
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
