import type { ConcreteOp, RawImage } from '../op.js';
import { hueSixths, LUMA_B, LUMA_G, LUMA_R, saturationWeight } from './colour.js';
import { makeLut } from './lut.js';
import { colourRunWasm } from './wasm/kernels.js';

/**
 * A run of colour ops in ColorJitter's order — brightness and contrast (any number, any order),
 * then at most one saturation, then at most one hue — done in one pass over the pixels instead of
 * one pass (and one new image) per op, with the same bytes as op by op:
 * - brightness and contrast are per-value tables, composed into one; contrast's mean grey of the
 *   image so far comes from the source's histograms through the table composed before it (an
 *   integer sum, so exactly what `meanLuma` would sum on the intermediate image);
 * - saturation and hue then run per pixel on the table's output, clamped as the images between
 *   the ops would clamp them.
 */

type Step = 'table' | 'saturation' | 'hue';

function stepOf(op: string): Step | null {
  if (op === 'brightness' || op === 'contrast') return 'table';
  if (op === 'saturation' || op === 'hue') return op;
  return null;
}

/** How many ops from `start` form a colour run worth fusing: 0 when fewer than two. */
export function colourRunLength(ops: readonly ConcreteOp[], start: number): number {
  let n = 0;
  let last: Step = 'table';
  for (let i = start; i < ops.length; i++) {
    const step = stepOf(ops[i]!.op);
    if (step === null) break;
    // Tables only before the per-pixel steps; saturation before hue; each per-pixel step once.
    if (step === 'table' ? last !== 'table' : step === 'saturation' ? last !== 'table' : last === 'hue') break;
    last = step;
    n++;
  }
  return n >= 2 ? n : 0;
}

function factor(c: ConcreteOp): number {
  const f = c.params.factor;
  if (typeof f !== 'number' || !Number.isFinite(f)) throw new TypeError(`${c.op} needs a numeric factor`);
  return f;
}

type Histograms = readonly [Uint32Array, Uint32Array, Uint32Array];

/** The composed table of the brightness/contrast ops at the head of `run`, given the source's histograms. */
function composedTable(histograms: () => Histograms, pixels: number, tables: readonly ConcreteOp[]): Uint8Array {
  let lut = makeLut((v) => v);
  let hist: Histograms | null = null;
  for (const c of tables) {
    const f = factor(c);
    let next: Uint8Array;
    if (c.op === 'brightness') {
      next = makeLut((v) => v * f);
    } else {
      hist ??= histograms();
      const mean = meanLumaThrough(hist, lut, pixels);
      next = makeLut((v) => mean + f * (v - mean));
    }
    const composed = new Uint8Array(256);
    for (let v = 0; v < 256; v++) composed[v] = next[lut[v]!]!;
    lut = composed;
  }
  return lut;
}

/** `meanLuma` of the image the source would become through `lut`: the same integer sum, gathered by value. */
function meanLumaThrough(hist: Histograms, lut: Uint8Array, pixels: number): number {
  const [r, g, b] = hist;
  let sum = 0;
  for (let v = 0; v < 256; v++) {
    const x = lut[v]!;
    sum += r[v]! * x * LUMA_R + g[v]! * x * LUMA_G + b[v]! * x * LUMA_B;
  }
  return sum / 65536 / (pixels || 1);
}

/** Applies a run that `colourRunLength` accepted. */
export function applyColourRun(image: RawImage, run: readonly ConcreteOp[]): RawImage {
  const d = image.data;
  const tables = run.filter((c) => stepOf(c.op) === 'table');
  const sat = run.find((c) => c.op === 'saturation');
  const hue = run.find((c) => c.op === 'hue');
  // Without a saturation op, weight 1024 (factor 1) gives every value back unchanged.
  const f = sat ? saturationWeight(factor(sat)) : 1024;
  let s6: number | null = null;
  if (hue) {
    const shift = hue.params.shift;
    if (typeof shift !== 'number' || !Number.isFinite(shift)) throw new TypeError('hue needs a numeric shift');
    s6 = hueSixths(shift);
  }
  // Histograms (when a contrast needs them) and per pixel: table, luma, saturation, clamp, hue
  // (huePixel's arithmetic) in wasm/kernels.c.
  const out = colourRunWasm(d, (histograms) => composedTable(histograms, d.length / 3, tables), f, s6);
  return { data: out, width: image.width, height: image.height, channels: 3 };
}
