import { thumbnailPixels, type RawPixels } from '../library/thumbnails.js';
import { resampleAreaWasm, scanRgbWasm } from '../library/wasm/thumbnail-kernels.js';
import { cellStarts, colourLayout, LAYOUT_CELLS, layoutHex } from './colour-layout.js';
import { PHASH_INPUT, perceptualHash } from './perceptual-hash.js';

/** What is measured once per image, from its thumbnail. */
export interface ImageMeasures {
  phash: string;
  /** The hash of the middle CENTRE_SHARE of each side: a cropped copy's whole hash lands near it. */
  phashCentre: string;
  /** Mean luma, 0–255. */
  brightness: number;
  /** Variance of the Laplacian of the luma at AUDIT_SIDE: low means blurry. */
  sharpness: number;
  /** Mean absolute difference between colour channels, 0–255: near 0 means grey. */
  colourfulness: number;
  /** Mean colour of each cell of a LAYOUT_SIDE × LAYOUT_SIDE grid, row by row, as RGB hex (see colour-layout.ts). */
  colourLayout: string;
}

/** Side of the image the audit measures run on, so they compare across image sizes. */
export const AUDIT_SIDE = 128;
export const CENTRE_SHARE = 0.9;

/**
 * Version of how images are measured, stored with each row: bump it whenever a change here moves
 * the figures (hash layout, resampling, thresholds' inputs), and every row measured before is
 * measured again by the next quality update (rescan, opening the Quality view, `quality.measure`).
 */
// Not bumped for the import's libjpeg-turbo decode of plain JPEGs (fast-thumbnail.ts): on photos it
// moves the hashes about as much as measuring the cached thumbnail instead already does (mean ~0.2
// bits, at most 2; the thumbnail up to 4), brightness by ~0.4 levels and sharpness by ≤ 6%, so
// groups stay as they were; and a bump would re-measure old rows from their thumbnails through
// sharp, which gives neither pipeline's figures.
export const MEASURES_VERSION = 2;

interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** For each of n + 1 cell edges along an axis: the pixel it falls in and how far into it (0–1). */
function edges(start: number, step: number, n: number, limit: number): { at: Int32Array; frac: Float64Array } {
  const at = new Int32Array(n + 1);
  const frac = new Float64Array(n + 1);
  for (let i = 0; i <= n; i++) {
    const x = Math.min(limit, start + i * step);
    at[i] = Math.min(Math.floor(x), limit - 1);
    frac[i] = x - at[i]!;
  }
  return { at, frac };
}

/**
 * Area-averaging resample of `region` to outW × outH: each output pixel is the mean of what it
 * covers. `sat` is the plane's summed-area table, (width + 1) × (height + 1) with a zero first row
 * and column; interpolated bilinearly it gives the exact integral of the pixels (each a constant
 * square) up to any point, so each output pixel costs four look-ups at its corners.
 */
function resampleArea(sat: Float64Array, width: number, height: number, region: Region, outW: number, outH: number): Float32Array {
  const sx = region.width / outW;
  const sy = region.height / outH;
  const xs = edges(region.left, sx, outW, width);
  const ys = edges(region.top, sy, outH, height);
  const xAt = xs.at;
  const xFrac = xs.frac;
  const stride = width + 1;
  const cw = outW + 1;
  const corners = scratch('corners', cw * (outH + 1));
  for (let j = 0, c = 0; j <= outH; j++) {
    const fy = ys.frac[j]!;
    const rowTop = ys.at[j]! * stride;
    const rowBottom = rowTop + stride;
    // An edge on a pixel boundary (fraction 0, as when halving) needs no interpolation: the table
    // is finite and ≥ 0, so v + 0 · (w − v) is exactly v.
    for (let i = 0; i <= outW; i++, c++) {
      const x0 = xAt[i]!;
      const fx = xFrac[i]!;
      const t0 = sat[rowTop + x0]!;
      const top = fx === 0 ? t0 : t0 + fx * (sat[rowTop + x0 + 1]! - t0);
      if (fy === 0) {
        corners[c] = top;
        continue;
      }
      const b0 = sat[rowBottom + x0]!;
      const bottom = fx === 0 ? b0 : b0 + fx * (sat[rowBottom + x0 + 1]! - b0);
      corners[c] = top + fy * (bottom - top);
    }
  }
  const out = new Float32Array(outW * outH);
  const area = sx * sy;
  for (let j = 0, o = 0; j < outH; j++) {
    for (let i = 0, c = j * cw; i < outW; i++, c++, o++) {
      out[o] = (corners[c + cw + 1]! - corners[c + 1]! - corners[c + cw]! + corners[c]!) / area;
    }
  }
  return out;
}

function laplacianVariance(luma: Float32Array, width: number, height: number): number {
  if (width < 3 || height < 3) return 0;
  let sum = 0;
  let sumSq = 0;
  let n = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const v = luma[i - width]! + luma[i + width]! + luma[i - 1]! + luma[i + 1]! - 4 * luma[i]!;
      sum += v;
      sumSq += v * v;
      n++;
    }
  }
  const mean = sum / n;
  return sumSq / n - mean * mean;
}

const scratchBuffers = new Map<string, Float64Array>();

/**
 * A buffer of at least `size` doubles for one use, the same between calls (the measures are
 * synchronous, so no two calls share one; allocating 400 kB per image kept the garbage collector
 * busy during imports). Its contents are whatever the last call left.
 */
function scratch(name: string, size: number): Float64Array {
  let buffer = scratchBuffers.get(name);
  if (!buffer || buffer.length < size) scratchBuffers.set(name, (buffer = new Float64Array(size)));
  return buffer;
}

/** A summed-area table for a width × height plane with its zero first row and column set. */
function satBuffer(width: number, height: number): Float64Array {
  const size = (width + 1) * (height + 1);
  const sat = scratch('sat', size).subarray(0, size);
  sat.fill(0, 0, width + 1);
  for (let y = 1; y <= height; y++) sat[y * (width + 1)] = 0;
  return sat;
}

/**
 * One pass over the pixels (flattened onto white where they have alpha): luma table, luma sum,
 * colour spread sum and the colour layout.
 */
interface Scan {
  /** Area-averaged luma of a region at outW × outH (see resampleArea). */
  resample(region: Region, outW: number, outH: number): Float32Array;
  lumaSum: number;
  chromaSum: number;
  layout: string;
}

function scanPixels(px: RawPixels): Scan {
  const { data, width, height, channels } = px;
  if (channels === 3) {
    // The usual photo, RGB without alpha, in WebAssembly: the same figures, bit for bit, for less
    // than half the CPU (|r−g| + |g−b| + |b−r| summed as 2·(max − min), the layout's cell sums in
    // the same pass). The table stays in wasm memory for the resamples.
    const scan = scanRgbWasm(data, width, height, cellStarts(width), LAYOUT_CELLS);
    return {
      resample: (region, outW, outH) => resampleAreaWasm(scan, region, outW, outH),
      lumaSum: scan.lumaSum,
      chromaSum: scan.chromaSum / 3,
      layout: layoutHex(scan.cellSums, scan.cellCounts),
    };
  }
  const sat = satBuffer(width, height);
  const colour = channels >= 3;
  const alpha = channels === 2 || channels === 4;
  const stride = width + 1;
  let lumaSum = 0;
  let chromaSum = 0;
  let o = 0;
  for (let y = 0; y < height; y++) {
    let row = 0;
    const above = y * stride + 1;
    const here = above + stride;
    for (let x = 0; x < width; x++, o += channels) {
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
      const l = 0.299 * r + 0.587 * g + 0.114 * b;
      chromaSum += Math.abs(r - g) + Math.abs(g - b) + Math.abs(b - r);
      row += l;
      sat[here + x] = sat[above + x]! + row;
    }
    lumaSum += row;
  }
  return { resample: (region, outW, outH) => resampleArea(sat, width, height, region, outW, outH), lumaSum, chromaSum: chromaSum / 3, layout: colourLayout(px) };
}

/**
 * Perceptual hashes and audit figures of thumbnail pixels, in plain JS: hashes from the luma
 * area-averaged to 32 × 32 (whole image and its centre), sharpness at AUDIT_SIDE (never enlarged:
 * an upscaled small image would read as blurry), brightness and colour over all pixels. Import
 * and backfill both come here.
 */
export function measurePixels(px: RawPixels): ImageMeasures {
  const { width, height } = px;
  const { resample, lumaSum, chromaSum, layout } = scanPixels(px);
  const whole = { left: 0, top: 0, width, height };
  const w = Math.max(1, Math.round(width * CENTRE_SHARE));
  const h = Math.max(1, Math.round(height * CENTRE_SHARE));
  const centre = { left: Math.floor((width - w) / 2), top: Math.floor((height - h) / 2), width: w, height: h };
  const scale = Math.min(1, AUDIT_SIDE / width, AUDIT_SIDE / height);
  const aw = Math.max(1, Math.round(width * scale));
  const ah = Math.max(1, Math.round(height * scale));
  const pixels = width * height;
  return {
    phash: perceptualHash(resample(whole, PHASH_INPUT, PHASH_INPUT)),
    phashCentre: perceptualHash(resample(centre, PHASH_INPUT, PHASH_INPUT)),
    brightness: lumaSum / pixels,
    sharpness: laplacianVariance(resample(whole, aw, ah), aw, ah),
    colourfulness: chromaSum / pixels,
    colourLayout: layout,
  };
}

/** Measures an image (a thumbnail file, an original, or encoded bytes) by way of its thumbnail pixels. */
export async function measureImage(input: string | Buffer): Promise<ImageMeasures> {
  return measurePixels(await thumbnailPixels(input));
}
