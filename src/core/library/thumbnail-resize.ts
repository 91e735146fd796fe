/**
 * The thumbnail's downscale and EXIF orientation for pixels decoded outside libvips (see
 * fast-thumbnail.ts), doing what sharp's `.rotate().resize(…, { fit: 'inside', kernel: 'linear' })`
 * does: a triangle filter widened to the shrink (so still anti-aliased), pixel centres aligned,
 * edge pixels repeated, then the same orientation libvips' autorot applies.
 */

/** 8-bit pixels, row-major, `channels` interleaved. */
export interface Pixels {
  data: Uint8Array;
  width: number;
  height: number;
  channels: number;
}

/** An output size and the scale (input pixels per output pixel) that gives it. */
export interface Fit {
  width: number;
  height: number;
  scale: number;
}

/**
 * The size sharp gives a width × height image fitted inside box × box, never enlarged, and the
 * scale it uses on both axes (input pixels per output pixel, 1 when the image already fits).
 */
export function fitInside(width: number, height: number, box: number): Fit {
  if (width <= box && height <= box) return { width, height, scale: 1 };
  const scale = Math.max(width, height) / box;
  if (width >= height) return { width: box, height: Math.max(1, Math.round(height / scale)), scale };
  return { width: Math.max(1, Math.round(width / scale)), height: box, scale };
}

const WEIGHT_BITS = 14;
const ONE = 1 << WEIGHT_BITS;

/** For each output position: its first input tap and `taps` integer weights summing to ONE. */
export interface Filter {
  taps: number;
  first: Int32Array;
  weights: Int32Array;
}

/**
 * Triangle-filter weights from `inSize` samples to `outSize` at `scale` input samples per output
 * sample, centres aligned as libvips aligns them (the middle of the output on the middle of the
 * input): the triangle reaches `scale` input pixels each side (1 when not shrinking). Taps past an
 * edge fold onto the edge pixel.
 */
export function triangleFilter(inSize: number, outSize: number, scale: number): Filter {
  const key = `${inSize} ${outSize} ${scale}`;
  let filter = filters.get(key);
  if (!filter) {
    if (filters.size >= 64) filters.clear();
    filters.set(key, (filter = makeTriangleFilter(inSize, outSize, scale)));
  }
  return filter;
}

/** Filters by sizes and scale: a folder's images mostly share a few sizes. */
const filters = new Map<string, Filter>();

function makeTriangleFilter(inSize: number, outSize: number, scale: number): Filter {
  const support = Math.max(1, scale);
  // The open interval (centre − support, centre + support) holds at most ceil(2·support) pixels.
  const taps = Math.min(inSize, Math.ceil(2 * support));
  const first = new Int32Array(outSize);
  const weights = new Int32Array(outSize * taps);
  const raw = new Float64Array(taps);
  for (let i = 0; i < outSize; i++) {
    const centre = (i + 0.5 - outSize / 2) * scale + inSize / 2 - 0.5;
    let start = Math.floor(centre - support) + 1;
    start = Math.max(0, Math.min(start, inSize - taps));
    first[i] = start;
    raw.fill(0);
    let sum = 0;
    // Every input pixel within reach, edge pixels standing in for those beyond the edges.
    const lo = Math.floor(centre - support) + 1;
    const hi = Math.ceil(centre + support) - 1;
    for (let x = lo; x <= hi; x++) {
      const w = 1 - Math.abs(x - centre) / support;
      if (w <= 0) continue;
      const k = Math.min(inSize - 1, Math.max(0, x)) - start;
      raw[k]! += w;
      sum += w;
    }
    let total = 0;
    let biggest = 0;
    for (let k = 0; k < taps; k++) {
      const w = Math.round((raw[k]! / sum) * ONE);
      weights[i * taps + k] = w;
      total += w;
      if (w > weights[i * taps + biggest]!) biggest = k;
    }
    weights[i * taps + biggest]! += ONE - total;
  }
  return { taps, first, weights };
}

let scratchRows = new Uint16Array(0);
let scratchAcc = new Int32Array(0);

/**
 * Resizes to fit.width × fit.height: rows first (each output row mixes a few input rows with the same weights
 * across the row, so the inner loop runs along contiguous memory), then columns. The intermediate
 * keeps 6 fractional bits.
 */
export function resizeTriangle(src: Pixels, fit: Fit): Pixels {
  const { data, width, height, channels: ch } = src;
  const { width: outW, height: outH, scale } = fit;
  if (outW === width && outH === height) return src;
  const rows = triangleFilter(height, outH, scale);
  const cols = triangleFilter(width, outW, scale);
  const stride = width * ch;
  if (scratchRows.length < stride * outH) scratchRows = new Uint16Array(stride * outH);
  if (scratchAcc.length < stride) scratchAcc = new Int32Array(stride);
  const mid = scratchRows;
  const acc = scratchAcc;
  const rt = rows.taps;
  const rowFirst = rows.first;
  const rowWeights = rows.weights;
  for (let y = 0; y < outH; y++) {
    acc.fill(1 << (WEIGHT_BITS - 7), 0, stride);
    for (let k = 0; k < rt; k++) {
      const w = rowWeights[y * rt + k]!;
      if (w === 0) continue;
      const base = (rowFirst[y]! + k) * stride;
      for (let j = 0; j < stride; j++) acc[j]! += w * data[base + j]!;
    }
    const o = y * stride;
    for (let j = 0; j < stride; j++) mid[o + j] = acc[j]! >> (WEIGHT_BITS - 6);
  }
  const out = new Uint8Array(outW * outH * ch);
  const ct = cols.taps;
  const colFirst = cols.first;
  const colWeights = cols.weights;
  for (let y = 0; y < outH; y++) {
    const row = y * stride;
    let o = y * outW * ch;
    for (let x = 0; x < outW; x++) {
      const base = row + colFirst[x]! * ch;
      const wo = x * ct;
      for (let c = 0; c < ch; c++, o++) {
        let sum = 1 << (WEIGHT_BITS + 5);
        for (let k = 0, at = base + c; k < ct; k++, at += ch) sum += colWeights[wo + k]! * mid[at]!;
        const v = sum >> (WEIGHT_BITS + 6);
        out[o] = v > 255 ? 255 : v;
      }
    }
  }
  return { data: out, width: outW, height: outH, channels: ch };
}

/** Where source pixel (x, y) of a w × h image lands once oriented: pixel index origin + x·dx + y·dy of an outW-wide image. */
export interface Placement {
  width: number;
  height: number;
  dx: number;
  dy: number;
  origin: number;
}

/**
 * How EXIF orientation 1–8 places the pixels, as libvips' autorot turns them: 2 mirror, 3 half
 * turn, 4 flip, 5 transpose, 6 quarter turn clockwise, 7 transverse, 8 quarter turn anticlockwise.
 * Anything else leaves them as they are.
 */
export function placement(w: number, h: number, orientation: number | null): Placement {
  const o = orientation !== null && orientation >= 2 && orientation <= 8 ? orientation : 1;
  const width = o >= 5 ? h : w;
  const height = o >= 5 ? w : h;
  const [dx, dy, origin] = (
    {
      1: [1, width, 0],
      2: [-1, width, w - 1],
      3: [-1, -width, width * height - 1],
      4: [1, -width, (height - 1) * width],
      5: [width, 1, 0],
      6: [width, -1, width - 1],
      7: [-width, -1, width * height - 1],
      8: [-width, 1, (height - 1) * width],
    } as Record<number, [number, number, number]>
  )[o]!;
  return { width, height, dx, dy, origin };
}

/** The pixels as EXIF orientation says to display them (see `placement`). */
export function orientPixels(src: Pixels, orientation: number | null): Pixels {
  const { data, width: w, height: h, channels: ch } = src;
  const { width, height, dx, dy, origin } = placement(w, h, orientation);
  if (dx === 1 && dy === width) return src;
  const out = new Uint8Array(data.length);
  for (let y = 0, i = 0; y < h; y++) {
    let at = origin + y * dy;
    for (let x = 0; x < w; x++, at += dx) {
      for (let c = 0, o = at * ch; c < ch; c++) out[o + c] = data[i++]!;
    }
  }
  return { data: out, width, height, channels: ch };
}
