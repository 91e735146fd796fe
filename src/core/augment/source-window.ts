import type { ConcreteOp, GeometryStage, Mat3, Size } from './op.js';
import { multiply } from './pixels/matrix.js';
import { findPixelOp } from './registry.js';

/** A rectangle of a source image, in its pixels. */
export interface Rect {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** Extra source pixels around what the positions need: the second bilinear tap and fixed-point drift. */
const MARGIN = 2;

const affine = (m: Mat3) => m[6] === 0 && m[7] === 0 && m[8] === 1;

/**
 * The part of a `size` source that applying `ops` reads, or null when that is not known to be less
 * than the whole image. Known when the ops start with a geometric run (one warp, see apply.ts) of
 * affine stages that only fill with a constant colour beyond their input (or never leave it): every
 * pixel the warp reads is then a bilinear tap of a position inside the parallelogram the output's
 * corners map to. Everything after the warp sees only the warp's output.
 */
export function sourceWindow(ops: readonly ConcreteOp[], size: Size): Rect | null {
  const stages: GeometryStage[] = [];
  let at = size;
  for (const c of ops) {
    const op = findPixelOp(c.op);
    if (!op?.geometry) break;
    const st = op.geometry(c.params, at);
    if (!affine(st.inverse) || !(st.insideOnly || st.fill === 'constant')) return null;
    stages.push(st);
    at = { width: st.outWidth, height: st.outHeight };
  }
  if (!stages.length) return null;
  let m = stages[stages.length - 1]!.inverse;
  for (let j = stages.length - 2; j >= 0; j--) m = multiply(stages[j]!.inverse, m);
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const [x, y] of [
    [0, 0],
    [at.width - 1, 0],
    [0, at.height - 1],
    [at.width - 1, at.height - 1],
  ] as const) {
    const sx = m[0] * x + m[1] * y + m[2];
    const sy = m[3] * x + m[4] * y + m[5];
    minX = Math.min(minX, sx);
    maxX = Math.max(maxX, sx);
    minY = Math.min(minY, sy);
    maxY = Math.max(maxY, sy);
  }
  if (![minX, maxX, minY, maxY].every(Number.isFinite)) return null;
  const left = Math.max(0, Math.floor(minX) - MARGIN);
  const top = Math.max(0, Math.floor(minY) - MARGIN);
  const right = Math.min(size.width - 1, Math.floor(maxX) + 1 + MARGIN);
  const bottom = Math.min(size.height - 1, Math.floor(maxY) + 1 + MARGIN);
  if (right < left || bottom < top) return null;
  return { left, top, width: right - left + 1, height: bottom - top + 1 };
}

/** The smallest rectangle holding all of `rects`. */
export function unionRect(rects: readonly Rect[]): Rect {
  const left = Math.min(...rects.map((r) => r.left));
  const top = Math.min(...rects.map((r) => r.top));
  const right = Math.max(...rects.map((r) => r.left + r.width));
  const bottom = Math.max(...rects.map((r) => r.top + r.height));
  return { left, top, width: right - left, height: bottom - top };
}
