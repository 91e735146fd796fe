import type { RawImage } from '../op.js';

let normalTable: Float32Array | null = null;

/** Acklam's inverse normal CDF (relative error < 1.2e-9). */
function inverseNormal(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628274631];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - lo) return -inverseNormal(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

/** 65,536 equal-probability standard normal quantiles: a 16-bit random index gives a normal draw. */
function normals(): Float32Array {
  if (!normalTable) {
    normalTable = new Float32Array(65536);
    for (let i = 0; i < 65536; i++) normalTable[i] = inverseNormal((i + 0.5) / 65536);
  }
  return normalTable;
}

/** xorshift32 state from a seed (never 0). */
function xsSeed(seed: number): number {
  return (seed >>> 0) || 0x9e3779b9;
}

/** Advances a xorshift32 state. */
function next(x: number): number {
  x ^= x << 13;
  x ^= x >>> 17;
  return x ^ (x << 5);
}

/**
 * The Gaussian noise stream: what is added to each of the `pixels·3` values before clamping,
 * N(0, σ·255) rounded, the same draw on all three channels unless `perChannel`. A xorshift32
 * stream from `seed` indexes 65,536 equal-probability normal quantiles. The one definition both
 * the sharp side (below) and the tensor side (tf/field-ops.ts) use, so they add identical noise.
 */
export function gaussianNoiseField(pixels: number, sigma: number, perChannel: boolean, seed: number): Float32Array {
  const table = normals();
  const scaled = new Int16Array(65536);
  const s = sigma * 255;
  for (let i = 0; i < 65536; i++) scaled[i] = Math.round(table[i]! * s);
  const n = pixels * 3;
  const out = new Float32Array(n);
  let x = xsSeed(seed);
  if (perChannel) {
    let i = 0;
    for (; i + 1 < n; i += 2) {
      x = next(x);
      out[i] = scaled[x & 0xffff]!;
      out[i + 1] = scaled[(x >>> 16) & 0xffff]!;
    }
    if (i < n) {
      x = next(x);
      out[i] = scaled[x & 0xffff]!;
    }
  } else {
    for (let i = 0; i < n; i += 3) {
      x = next(x);
      const v = scaled[x & 0xffff]!;
      out[i] = v;
      out[i + 1] = v;
      out[i + 2] = v;
    }
  }
  return out;
}

/** Adds N(0, σ·255) noise, the same draw on all three channels unless `perChannel`; rounds and clamps. */
export function addGaussianNoise(src: RawImage, sigma: number, perChannel: boolean, seed: number): RawImage {
  const field = gaussianNoiseField(src.width * src.height, sigma, perChannel, seed);
  const d = src.data;
  const out = new Uint8Array(d.length);
  const clamped = new Uint8ClampedArray(out.buffer);
  for (let i = 0; i < d.length; i++) clamped[i] = d[i]! + field[i]!;
  return { data: out, width: src.width, height: src.height, channels: 3 };
}

/**
 * The salt-and-pepper stream, per pixel: −1 where the pixel is left alone, else the value (0 or
 * 255) set on all three channels. Shared with the tensor side like `gaussianNoiseField`.
 */
export function saltPepperField(pixels: number, amount: number, salt: number, seed: number): Float32Array {
  const out = new Float32Array(pixels).fill(-1);
  const hit = Math.round(amount * 4294967296);
  const white = Math.round(salt * 4294967296);
  let x = xsSeed(seed);
  for (let i = 0; i < pixels; i++) {
    x = next(x);
    if (x >>> 0 >= hit) continue;
    x = next(x);
    out[i] = x >>> 0 < white ? 255 : 0;
  }
  return out;
}

/** Sets a fraction `amount` of pixels to white (share `salt`) or black, all channels together. */
export function addSaltPepper(src: RawImage, amount: number, salt: number, seed: number): RawImage {
  const out = new Uint8Array(src.data);
  const field = saltPepperField(src.width * src.height, amount, salt, seed);
  for (let p = 0; p < field.length; p++) {
    const v = field[p]!;
    if (v < 0) continue;
    out[p * 3] = v;
    out[p * 3 + 1] = v;
    out[p * 3 + 2] = v;
  }
  return { data: out, width: src.width, height: src.height, channels: 3 };
}
