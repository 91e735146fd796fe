/** Side of the grey image the DCT runs on; the hash keeps its lowest 8 × 8 frequencies. */
export const PHASH_INPUT = 32;
const KEEP = 8;

function dctMatrix(n: number): Float64Array {
  const m = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const scale = k === 0 ? Math.sqrt(1 / n) : Math.sqrt(2 / n);
    for (let i = 0; i < n; i++) m[k * n + i] = scale * Math.cos(((2 * i + 1) * k * Math.PI) / (2 * n));
  }
  return m;
}

const DCT = dctMatrix(PHASH_INPUT);

/**
 * 64-bit DCT perceptual hash (pHash) of a 32 × 32 grey image, as 16 hex digits: bit k is set when
 * the k-th of the 8 × 8 lowest-frequency DCT coefficients is above their median (the DC term is
 * left out of the median, as it only says how bright the image is). Robust to resizing,
 * re-encoding, small crops and colour shifts; different pictures land far apart in Hamming distance.
 */
export function perceptualHash(grey: ArrayLike<number>): string {
  const n = PHASH_INPUT;
  if (grey.length !== n * n) throw new RangeError(`perceptualHash needs ${n}×${n} grey pixels, got ${grey.length} values`);
  // rows = DCT · X (only the first KEEP rows), then coeffs = rows · DCTᵀ (only the first KEEP columns).
  // Each sum adds its terms in index order (the loops are ordered for memory, not for the sums).
  const rows = new Float64Array(KEEP * n);
  for (let k = 0; k < KEEP; k++) {
    const row = k * n;
    for (let i = 0; i < n; i++) {
      const d = DCT[row + i]!;
      const line = i * n;
      for (let j = 0; j < n; j++) rows[row + j]! += d * grey[line + j]!;
    }
  }
  const coeffs = new Float64Array(KEEP * KEEP);
  for (let k = 0; k < KEEP; k++) {
    for (let l = 0; l < KEEP; l++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += rows[k * n + j]! * DCT[l * n + j]!;
      coeffs[k * KEEP + l] = s;
    }
  }
  const sorted = coeffs.slice(1).sort();
  const median = (sorted[31]! + sorted[32]!) / 2;
  let hi = 0;
  let lo = 0;
  for (let b = 0; b < 64; b++) {
    if (!(coeffs[b]! > median)) continue;
    if (b < 32) hi |= 1 << (31 - b);
    else lo |= 1 << (63 - b);
  }
  return (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
}

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** A 64-bit hash as two 32-bit halves, for fast distances. */
export type HashWords = readonly [number, number];

export function hashWords(hex: string): HashWords {
  if (!/^[0-9a-f]{16}$/.test(hex)) throw new RangeError(`not a 64-bit hex hash: "${hex}"`);
  return [Number.parseInt(hex.slice(0, 8), 16), Number.parseInt(hex.slice(8), 16)];
}

export function hammingWords(a: HashWords, b: HashWords): number {
  return popcount32((a[0] ^ b[0]) >>> 0) + popcount32((a[1] ^ b[1]) >>> 0);
}

export function hamming(a: string, b: string): number {
  return hammingWords(hashWords(a), hashWords(b));
}
