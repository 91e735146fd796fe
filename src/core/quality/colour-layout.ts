import type { RawPixels } from '../library/thumbnails.js';

/** Cells per side of the colour layout: coarse enough that resizing, re-encoding and a slight crop barely move it. */
export const LAYOUT_SIDE = 4;
const CELLS = LAYOUT_SIDE * LAYOUT_SIDE;

/**
 * Mean colour (0–255 levels) per cell that two copies of one picture may differ by: resized and
 * re-encoded copies differ by ~1, a 4% crop by up to ~7, while different pictures with the same
 * composition (which a perceptual hash, blind to colour and contrast, puts a few bits apart) differ
 * by 16 and more.
 */
export const LAYOUT_TOLERANCE = 12;
/** The same after taking away each image's mean colour: a brightened or tinted copy still matches. */
export const SHIFTED_LAYOUT_TOLERANCE = 6;

/**
 * The mean colour of each cell of a LAYOUT_SIDE × LAYOUT_SIDE grid over the image (flattened onto
 * white where it has alpha), row by row, as 2 hex digits per channel: 96 characters.
 */
export function colourLayout(px: RawPixels): string {
  const { data, width, height, channels } = px;
  const sums = new Float64Array(CELLS * 3);
  const counts = new Float64Array(CELLS);
  const colour = channels >= 3;
  const alpha = channels === 2 || channels === 4;
  let o = 0;
  for (let y = 0; y < height; y++) {
    const row = Math.floor((y * LAYOUT_SIDE) / height) * LAYOUT_SIDE;
    for (let x = 0; x < width; x++, o += channels) {
      const cell = row + Math.floor((x * LAYOUT_SIDE) / width);
      let r = data[o]!;
      let g = colour ? data[o + 1]! : r;
      let b = colour ? data[o + 2]! : r;
      if (alpha) {
        const a = data[o + channels - 1]! / 255;
        const white = 255 * (1 - a);
        r = r * a + white;
        g = g * a + white;
        b = b * a + white;
      }
      sums[cell * 3]! += r;
      sums[cell * 3 + 1]! += g;
      sums[cell * 3 + 2]! += b;
      counts[cell]!++;
    }
  }
  let hex = '';
  for (let k = 0; k < CELLS * 3; k++) {
    const n = counts[Math.floor(k / 3)]!;
    hex += Math.round(n ? sums[k]! / n : 255)
      .toString(16)
      .padStart(2, '0');
  }
  return hex;
}

export function layoutBytes(hex: string): Uint8Array {
  if (!/^[0-9a-f]{96}$/.test(hex)) throw new RangeError(`not a ${LAYOUT_SIDE}×${LAYOUT_SIDE} colour layout: "${hex}"`);
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

/**
 * Whether two colour layouts could be copies of one picture: the mean per-cell difference is within
 * LAYOUT_TOLERANCE, or within SHIFTED_LAYOUT_TOLERANCE once each image's mean colour is taken away
 * (a brightness or colour-cast change moves every cell alike).
 */
export function layoutsMatch(a: Uint8Array, b: Uint8Array): boolean {
  const mean = [0, 0, 0];
  let raw = 0;
  for (let k = 0; k < a.length; k++) {
    const d = a[k]! - b[k]!;
    raw += Math.abs(d);
    mean[k % 3]! += d / CELLS;
  }
  if (raw / a.length <= LAYOUT_TOLERANCE) return true;
  let shifted = 0;
  for (let k = 0; k < a.length; k++) shifted += Math.abs(a[k]! - b[k]! - mean[k % 3]!);
  return shifted / a.length <= SHIFTED_LAYOUT_TOLERANCE;
}
