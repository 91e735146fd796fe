import type { GeometryStage, Mat3, RawImage } from '../op.js';
import { multiply } from './matrix.js';
import { wasmKernels } from './wasm/kernels.js';

/** Reflect without repeating the edge pixel (OpenCV BORDER_REFLECT_101, numpy/torch "reflect"). */
function reflect101(v: number, size: number): number {
  if (size <= 1) return 0;
  const period = 2 * (size - 1);
  v = v % period;
  if (v < 0) v += period;
  return v > size - 1 ? period - v : v;
}

/**
 * Inside test for one stage: constant fill covers the whole pixel extent; reflect/edge remap beyond
 * the outer centres. The source stage with constant fill reaches one pixel further, where the
 * sampler blends the last pixels with the fill colour (smooth edges, like OpenCV's BORDER_CONSTANT).
 */
function bounds(stage: GeometryStage, isSource: boolean): [number, number, number, number] {
  if (stage.fill !== 'constant') return [0, stage.inWidth - 1, 0, stage.inHeight - 1];
  const m = isSource ? 1 : 0.5;
  return [-m, stage.inWidth - 1 + m, -m, stage.inHeight - 1 + m];
}

function isAffine(m: Mat3): boolean {
  return m[6] === 0 && m[7] === 0 && m[8] === 1;
}

/**
 * Narrows [xa, xb] to the x where lo ≤ c + x·d ≤ hi (< hi when `strictHi`). The endpoints are
 * checked with the same arithmetic as the copy kernel, and c + x·d is monotone in x, so no kernel
 * reads outside the image (the bilinear kernel's fixed-point drift stays inside its margin).
 */
function clip(c: number, d: number, lo: number, hi: number, strictHi: boolean, xa: number, xb: number): [number, number] {
  if (d !== 0) {
    const t1 = (lo - c) / d;
    const t2 = (hi - c) / d;
    xa = Math.max(xa, Math.ceil(Math.min(t1, t2)) - 1);
    xb = Math.min(xb, Math.floor(Math.max(t1, t2)) + 1);
  }
  while (xa <= xb && !inside(c + xa * d, lo, hi, strictHi)) xa++;
  while (xb >= xa && !inside(c + xb * d, lo, hi, strictHi)) xb--;
  return [xa, xb];
}

function inside(v: number, lo: number, hi: number, strictHi: boolean): boolean {
  return v >= lo && (strictHi ? v < hi : v <= hi);
}

/**
 * One RGB pixel blended from the 2×2 source pixels at `i` (top left; the row below is `stride`
 * further) with 8-bit fixed-point weights `wx`, `wy` (0–256), rounded.
 */
function blend(sd: Uint8Array, i: number, stride: number, wx: number, wy: number, out: Uint8Array, o: number): void {
  const j = i + stride;
  // Unrolled: this is the innermost loop of every rotation, zoom and perspective warp.
  let t = (sd[i]! << 8) + (sd[i + 3]! - sd[i]!) * wx;
  let b = (sd[j]! << 8) + (sd[j + 3]! - sd[j]!) * wx;
  out[o] = ((t << 8) + (b - t) * wy + 32768) >> 16;
  t = (sd[i + 1]! << 8) + (sd[i + 4]! - sd[i + 1]!) * wx;
  b = (sd[j + 1]! << 8) + (sd[j + 4]! - sd[j + 1]!) * wx;
  out[o + 1] = ((t << 8) + (b - t) * wy + 32768) >> 16;
  t = (sd[i + 2]! << 8) + (sd[i + 5]! - sd[i + 2]!) * wx;
  b = (sd[j + 2]! << 8) + (sd[j + 5]! - sd[j + 2]!) * wx;
  out[o + 2] = ((t << 8) + (b - t) * wy + 32768) >> 16;
}

/**
 * Bilinear samples along one output row whose four taps all lie inside the source (the TypeScript
 * twin of kernels.c bilinear_row, which `warp` runs unless told to use this one). Positions step
 * in 16.16 fixed point, re-anchored on the exact position every 128 pixels (drift under 0.001 px;
 * the caller keeps a 1/64 px margin from the edges for it).
 */
function bilinearRow(sd: Uint8Array, sw: number, base: number, out: Uint8Array, o: number, xa: number, xb: number, rx: number, dx: number, ry: number, dy: number): void {
  const stride = sw * 3;
  const stepX = Math.round(dx * 65536);
  const stepY = Math.round(dy * 65536);
  for (let start = xa; start <= xb; start += 128) {
    const end = Math.min(xb, start + 127);
    let fx = Math.round((rx + start * dx) * 65536);
    let fy = Math.round((ry + start * dy) * 65536);
    for (let x = start; x <= end; x++, o += 3, fx += stepX, fy += stepY) {
      const wx = ((fx & 0xffff) + 128) >> 8;
      const wy = ((fy & 0xffff) + 128) >> 8;
      blend(sd, ((fy >> 16) * sw + (fx >> 16)) * 3 - base, stride, wx, wy, out, o);
    }
  }
}

/** Integer maps (flips, quarter turns, crops): plain copies with a constant source step. */
function copyRow(sd: Uint8Array, sw: number, base: number, out: Uint8Array, o: number, xa: number, xb: number, rx: number, dx: number, ry: number, dy: number): void {
  let i = ((ry + xa * dy) * sw + rx + xa * dx) * 3 - base;
  const step = (dy * sw + dx) * 3;
  if (step === 3) {
    out.set(sd.subarray(i, i + (xb - xa + 1) * 3), o);
    return;
  }
  for (let x = xa; x <= xb; x++, o += 3, i += step) {
    out[o] = sd[i]!;
    out[o + 1] = sd[i + 1]!;
    out[o + 2] = sd[i + 2]!;
  }
}

/**
 * Where a source's pixels sit when only part of it was decoded: `src` holds the rectangle at
 * (left, top) of a fullWidth × fullHeight image, which every read of the warp falls in (see
 * source-window.ts).
 */
export interface SourceWindow {
  readonly left: number;
  readonly top: number;
  readonly fullWidth: number;
  readonly fullHeight: number;
}

/**
 * Resamples `src` once through a chain of geometric stages (first applied first). Equal to applying
 * the stages one after another — each stage's own fill applies where its input runs out — except that
 * pixels are interpolated once instead of once per stage. Bilinear, 8-bit fixed-point weights.
 *
 * Affine chains run row by row: the span of each row where every stage stays inside its input and
 * all four taps are inside the source is a single interval (the maps are linear along a row), which
 * a tight kernel fills (wasm/kernels.c bilinear_row: 16.16 fixed-point steps re-anchored every 128
 * pixels, drift under 0.001 px, for which the spans keep a 1/64 px margin from the edges); only the
 * pixels outside it take the general path.
 */
export function warp(src: RawImage, stages: readonly GeometryStage[], kernel: 'wasm' | 'typescript' = 'wasm', window?: SourceWindow): RawImage {
  const k = stages.length;
  if (k === 0) return src;
  const first = stages[0]!;
  const last = stages[k - 1]!;
  // Positions, bounds and fills are those of the whole source; only reads go to the window.
  const sw = window ? window.fullWidth : src.width;
  const sh = window ? window.fullHeight : src.height;
  if (first.inWidth !== sw || first.inHeight !== sh) {
    throw new RangeError(`geometry expects a ${first.inWidth}×${first.inHeight} input, got ${sw}×${sh}`);
  }
  if (window && (window.left < 0 || window.top < 0 || window.left + src.width > sw || window.top + src.height > sh)) {
    throw new RangeError(`a ${src.width}×${src.height} window at ${window.left},${window.top} does not fit a ${sw}×${sh} source`);
  }
  // Row length of the pixels in hand, and the offset of the window's first pixel in the whole source.
  const rw = src.width;
  const base = window ? (window.top * rw + window.left) * 3 : 0;
  const OW = last.outWidth;
  const OH = last.outHeight;
  // composed[j] maps an output position to stage j's input.
  const composed = new Array<Mat3>(k);
  composed[k - 1] = last.inverse;
  for (let j = k - 2; j >= 0; j--) composed[j] = multiply(stages[j]!.inverse, composed[j + 1]!);

  // Stages whose bounds can be crossed, last applied first (the order a sequential chain meets them).
  const checked: number[] = [];
  for (let j = k - 1; j >= 0; j--) if (!stages[j]!.insideOnly) checked.push(j);
  const nc = checked.length;
  const cm = new Float64Array(nc * 9);
  const cb = new Float64Array(nc * 4);
  checked.forEach((j, c) => {
    cm.set(composed[j]!, c * 9);
    cb.set(bounds(stages[j]!, j === 0), c * 4);
  });
  const m0 = composed[0]!;
  const affine = isAffine(m0) && checked.every((j) => isAffine(composed[j]!));

  const integral = affine && [m0[0], m0[1], m0[2], m0[3], m0[4], m0[5]].every(Number.isInteger);
  // Bilinear affine maps fill their rows' inside spans in wasm: the source and the output live in
  // wasm memory for the whole warp, and the border pixels are written there from here too.
  const kernels = affine && !integral && kernel === 'wasm' ? wasmKernels() : null;
  let sd = src.data;
  let out: Uint8Array;
  let srcAt = 0;
  let outAt = 0;
  if (kernels) {
    [srcAt, outAt] = kernels.layout([sd.length, OW * OH * 3]) as [number, number];
    kernels.bytes(srcAt, sd.length).set(sd);
    sd = kernels.bytes(srcAt, sd.length);
    out = kernels.bytes(outAt, OW * OH * 3);
    out.fill(0);
  } else {
    out = new Uint8Array(OW * OH * 3);
  }
  const maxX = sw - 1;
  const maxY = sh - 1;
  const [a0, a1, a2, a3, a4, a5, a6, a7, a8] = m0;
  const fallback = { x: 0, y: 0, colour: null as readonly [number, number, number] | null };

  // Walks the stages one by one from the one whose bounds were crossed, remapping or filling.
  const sequential = (fromStage: number, px: number, py: number): void => {
    fallback.colour = null;
    for (let j = fromStage; j >= 0; j--) {
      const st = stages[j]!;
      if (j !== fromStage) {
        const m = st.inverse;
        const z = m[6] * px + m[7] * py + m[8];
        const nx = (m[0] * px + m[1] * py + m[2]) / z;
        py = (m[3] * px + m[4] * py + m[5]) / z;
        px = nx;
        if (st.insideOnly) continue;
      }
      if (st.fill === 'constant') {
        const m = j === 0 ? 1 : 0.5;
        if (px <= -m || px >= st.inWidth - 1 + m || py <= -m || py >= st.inHeight - 1 + m) {
          fallback.colour = st.fillColour;
          return;
        }
      } else if (st.fill === 'edge') {
        px = px < 0 ? 0 : px > st.inWidth - 1 ? st.inWidth - 1 : px;
        py = py < 0 ? 0 : py > st.inHeight - 1 ? st.inHeight - 1 : py;
      } else {
        px = reflect101(px, st.inWidth);
        py = reflect101(py, st.inHeight);
      }
    }
    fallback.x = px;
    fallback.y = py;
  };

  // Bilinear with taps beyond the edge: the fill colour (constant fill) or the nearest edge pixel.
  const sourceFill = first.fill === 'constant' && !first.insideOnly ? first.fillColour : null;
  const sampleBorder = (sx: number, sy: number, o: number): void => {
    const fx = Math.floor(sx);
    const fy = Math.floor(sy);
    const wx = Math.round((sx - fx) * 256);
    const wy = Math.round((sy - fy) * 256);
    for (let ch = 0; ch < 3; ch++) {
      let acc = 0;
      for (let t = 0; t < 4; t++) {
        const tx = fx + (t & 1);
        const ty = fy + (t >> 1);
        const w = (t & 1 ? wx : 256 - wx) * (t >> 1 ? wy : 256 - wy);
        if (w === 0) continue;
        let v: number;
        if (sourceFill && (tx < 0 || tx > maxX || ty < 0 || ty > maxY)) v = sourceFill[ch]!;
        else v = sd[((ty < 0 ? 0 : ty > maxY ? maxY : ty) * rw + (tx < 0 ? 0 : tx > maxX ? maxX : tx)) * 3 - base + ch]!;
        acc += v * w;
      }
      out[o + ch] = (acc + 32768) >> 16;
    }
  };

  // Bilinear at one position whose four taps are inside the source (after a remap, most are).
  const stride = rw * 3;
  const sample = (sx: number, sy: number, o: number): void => {
    if (!(sx >= 0 && sx < maxX && sy >= 0 && sy < maxY)) {
      sampleBorder(sx, sy, o);
      return;
    }
    const x0 = sx | 0;
    const y0 = sy | 0;
    const wx = ((sx - x0) * 256 + 0.5) | 0;
    const wy = ((sy - y0) * 256 + 0.5) | 0;
    const i = (y0 * rw + x0) * 3 - base;
    const j = i + stride;
    for (let ch = 0; ch < 3; ch++) {
      const t = (sd[i + ch]! << 8) + (sd[i + ch + 3]! - sd[i + ch]!) * wx;
      const b = (sd[j + ch]! << 8) + (sd[j + ch + 3]! - sd[j + ch]!) * wx;
      out[o + ch] = ((t << 8) + (b - t) * wy + 32768) >> 16;
    }
  };

  // The general path for one output pixel: every stage checked, any map.
  const general = (x: number, y: number, o: number): void => {
    for (let c = 0; c < nc; c++) {
      const b = c * 9;
      let X = cm[b]! * x + cm[b + 1]! * y + cm[b + 2]!;
      let Y = cm[b + 3]! * x + cm[b + 4]! * y + cm[b + 5]!;
      const Z = cm[b + 6]! * x + cm[b + 7]! * y + cm[b + 8]!;
      X /= Z;
      Y /= Z;
      const q = c * 4;
      if (X < cb[q]! || X > cb[q + 1]! || Y < cb[q + 2]! || Y > cb[q + 3]!) {
        sequential(checked[c]!, X, Y);
        const col = fallback.colour;
        if (col) {
          out[o] = col[0];
          out[o + 1] = col[1];
          out[o + 2] = col[2];
        } else sample(fallback.x, fallback.y, o);
        return;
      }
    }
    const Z = a6 * x + a7 * y + a8;
    sample((a0 * x + a1 * y + a2) / Z, (a3 * x + a4 * y + a5) / Z, o);
  };

  if (!affine) {
    // Perspective: no straight-line spans, so each pixel tests the stages itself; pixels inside
    // everything with all taps inside the source are sampled inline.
    for (let y = 0, o = 0; y < OH; y++) {
      for (let x = 0; x < OW; x++, o += 3) {
        const r = 1 / (a6 * x + a7 * y + a8);
        const sx = (a0 * x + a1 * y + a2) * r;
        const sy = (a3 * x + a4 * y + a5) * r;
        let ok = true;
        for (let c = 0; c < nc && ok; c++) {
          const q = c * 4;
          let X = sx;
          let Y = sy;
          // Stage 0's input is the source: its position is the one just computed.
          if (checked[c] !== 0) {
            const b = c * 9;
            const rz = 1 / (cm[b + 6]! * x + cm[b + 7]! * y + cm[b + 8]!);
            X = (cm[b]! * x + cm[b + 1]! * y + cm[b + 2]!) * rz;
            Y = (cm[b + 3]! * x + cm[b + 4]! * y + cm[b + 5]!) * rz;
          }
          ok = X >= cb[q]! && X <= cb[q + 1]! && Y >= cb[q + 2]! && Y <= cb[q + 3]!;
        }
        if (!ok || !(sx >= 0 && sx < maxX && sy >= 0 && sy < maxY)) {
          general(x, y, o);
          continue;
        }
        const x0 = sx | 0;
        const y0 = sy | 0;
        const wx = ((sx - x0) * 256 + 0.5) | 0;
        const wy = ((sy - y0) * 256 + 0.5) | 0;
        blend(sd, (y0 * rw + x0) * 3 - base, stride, wx, wy, out, o);
      }
    }
    return { data: out, width: OW, height: OH, channels: 3 };
  }

  for (let y = 0; y < OH; y++) {
    let xa = 0;
    let xb = OW - 1;
    for (let c = 0; c < nc && xa <= xb; c++) {
      const b = c * 9;
      const q = c * 4;
      [xa, xb] = clip(cm[b + 1]! * y + cm[b + 2]!, cm[b]!, cb[q]!, cb[q + 1]!, false, xa, xb);
      [xa, xb] = clip(cm[b + 4]! * y + cm[b + 5]!, cm[b + 3]!, cb[q + 2]!, cb[q + 3]!, false, xa, xb);
    }
    const rx = a1 * y + a2;
    const ry = a4 * y + a5;
    // Integral maps read one pixel; bilinear needs the next column and row inside as well, with a
    // margin for its fixed-point stepping.
    const margin = integral ? 0 : 1 / 64;
    [xa, xb] = clip(rx, a0, margin, maxX - margin, !integral, xa, xb);
    [xa, xb] = clip(ry, a3, margin, maxY - margin, !integral, xa, xb);
    const rowStart = y * OW * 3;
    if (xa > xb) {
      for (let x = 0; x < OW; x++) general(x, y, rowStart + x * 3);
      continue;
    }
    for (let x = 0; x < xa; x++) general(x, y, rowStart + x * 3);
    if (kernels) kernels.fn.bilinear_row(srcAt, rw, base, outAt + rowStart + xa * 3, xa, xb, rx, a0, ry, a3);
    else (integral ? copyRow : bilinearRow)(sd, rw, base, out, rowStart + xa * 3, xa, xb, rx, a0, ry, a3);
    for (let x = xb + 1; x < OW; x++) general(x, y, rowStart + x * 3);
  }
  return { data: kernels ? out.slice() : out, width: OW, height: OH, channels: 3 };
}
