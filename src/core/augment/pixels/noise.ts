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

/** Adds N(0, σ·255) noise, the same draw on all three channels unless `perChannel`; rounds and clamps. */
export function addGaussianNoise(src: RawImage, sigma: number, perChannel: boolean, seed: number): RawImage {
  const table = normals();
  const scaled = new Int16Array(65536);
  const s = sigma * 255;
  for (let i = 0; i < 65536; i++) scaled[i] = Math.round(table[i]! * s);
  const d = src.data;
  const out = new Uint8Array(d.length);
  const clamped = new Uint8ClampedArray(out.buffer);
  let x = xsSeed(seed);
  if (perChannel) {
    let i = 0;
    const n = d.length;
    for (; i + 1 < n; i += 2) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      clamped[i] = d[i]! + scaled[x & 0xffff]!;
      clamped[i + 1] = d[i + 1]! + scaled[(x >>> 16) & 0xffff]!;
    }
    if (i < n) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      clamped[i] = d[i]! + scaled[x & 0xffff]!;
    }
  } else {
    for (let i = 0; i < d.length; i += 3) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      const v = scaled[x & 0xffff]!;
      clamped[i] = d[i]! + v;
      clamped[i + 1] = d[i + 1]! + v;
      clamped[i + 2] = d[i + 2]! + v;
    }
  }
  return { data: out, width: src.width, height: src.height, channels: 3 };
}

/** Sets a fraction `amount` of pixels to white (share `salt`) or black, all channels together. */
export function addSaltPepper(src: RawImage, amount: number, salt: number, seed: number): RawImage {
  const out = new Uint8Array(src.data);
  const hit = Math.round(amount * 4294967296);
  const white = Math.round(salt * 4294967296);
  let x = xsSeed(seed);
  for (let i = 0; i < out.length; i += 3) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    if ((x >>> 0) >= hit) continue;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const v = (x >>> 0) < white ? 255 : 0;
    out[i] = v;
    out[i + 1] = v;
    out[i + 2] = v;
  }
  return { data: out, width: src.width, height: src.height, channels: 3 };
}
