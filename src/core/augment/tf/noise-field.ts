/**
 * The sharp side's noise streams (pixels/noise.ts), rebuilt value for value so the tensor side adds
 * exactly the same noise: a xorshift32 stream from the sampled seed indexes 65,536 equal-probability
 * normal quantiles (Acklam's inverse CDF). test/core/augment/tf-parity.test.ts pins the two together.
 */

let quantiles: Float32Array | null = null;

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

function normalQuantiles(): Float32Array {
  if (!quantiles) {
    quantiles = new Float32Array(65536);
    for (let i = 0; i < 65536; i++) quantiles[i] = inverseNormal((i + 0.5) / 65536);
  }
  return quantiles;
}

function xorshiftSeed(seed: number): number {
  return (seed >>> 0) || 0x9e3779b9;
}

/** What the sharp side adds to each of the `width·height·3` values (before clamping). */
export function gaussianNoiseField(pixels: number, sigma: number, perChannel: boolean, seed: number): Float32Array {
  const table = normalQuantiles();
  const scaled = new Int16Array(65536);
  const s = sigma * 255;
  for (let i = 0; i < 65536; i++) scaled[i] = Math.round(table[i]! * s);
  const n = pixels * 3;
  const out = new Float32Array(n);
  let x = xorshiftSeed(seed);
  const step = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
  };
  if (perChannel) {
    let i = 0;
    for (; i + 1 < n; i += 2) {
      step();
      out[i] = scaled[x & 0xffff]!;
      out[i + 1] = scaled[(x >>> 16) & 0xffff]!;
    }
    if (i < n) {
      step();
      out[i] = scaled[x & 0xffff]!;
    }
  } else {
    for (let i = 0; i < n; i += 3) {
      step();
      const v = scaled[x & 0xffff]!;
      out[i] = v;
      out[i + 1] = v;
      out[i + 2] = v;
    }
  }
  return out;
}

/** Per pixel: −1 where the sharp side leaves it, else the value (0 or 255) it sets on all three channels. */
export function saltPepperField(pixels: number, amount: number, salt: number, seed: number): Float32Array {
  const out = new Float32Array(pixels).fill(-1);
  const hit = Math.round(amount * 4294967296);
  const white = Math.round(salt * 4294967296);
  let x = xorshiftSeed(seed);
  for (let i = 0; i < pixels; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    if (x >>> 0 >= hit) continue;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x >>> 0 < white ? 255 : 0;
  }
  return out;
}
