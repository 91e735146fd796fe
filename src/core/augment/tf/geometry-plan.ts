import type { GeometryStage, Mat3 } from '../op.js';
import { applyToPoint, multiply } from '../pixels/matrix.js';

/**
 * Plans a run of geometric stages (what the sharp side fuses into one `warp`) as resamples that
 * `tf.image.transform` can do. The sharp side checks each stage's bounds in that stage's own
 * coordinates; one projective transform can only check the source's. So a run becomes passes:
 *
 * - the run's first stage with constant fill is read with tf's 'constant' mode: taps past the edge
 *   take the fill colour, the smooth edge `warp` gives its source stage (OpenCV BORDER_CONSTANT);
 * - any later constant-fill stage is checked exactly by an inside mask (hard edge half a pixel out,
 *   computed in float64 like `warp`), so any number of them share one pass;
 * - an edge or reflect stage is folded into the pass's source read (tf fill 'nearest', or a
 *   reflect-101 mirror pad), which is only right when every stage before it in the pass is a flip
 *   or quarter turn; otherwise it starts a new pass (one more interpolation than the sharp side).
 */

export interface ConstantMask {
  /** Output position → this stage's input position. */
  readonly inverse: Mat3;
  readonly inWidth: number;
  readonly inHeight: number;
  readonly colour: readonly [number, number, number];
}

export interface GeometryPass {
  readonly inWidth: number;
  readonly inHeight: number;
  readonly outWidth: number;
  readonly outHeight: number;
  /** Output position → pass input position (pixel centres at integers, as in `warp`). */
  readonly inverse: Mat3;
  /**
   * How the pass input is read past its edge: clamped (edge), mirrored without repeating the edge
   * pixel, or taps outside take `sourceColour` (the run's first stage with constant fill).
   */
  readonly source: 'clamp' | 'reflect' | 'constant';
  readonly sourceColour: readonly [number, number, number];
  /** Constant-fill stages, first applied first: where a position leaves one, its colour shows. */
  readonly masks: readonly ConstantMask[];
  /** Only flips and quarter turns: a pure permutation of pixels, done by reversing and transposing axes. */
  readonly exact: string | null;
}

/** The linear part of a flip / quarter turn as "a,b,c,d", or null when the stage moves pixels any other way. */
function permutationPattern(m: Mat3, inW: number, inH: number, outW: number, outH: number): string | null {
  if (m[6] !== 0 || m[7] !== 0 || m[8] !== 1) return null;
  const lin = [m[0], m[1], m[3], m[4]];
  if (!lin.every((v) => v === 0 || v === 1 || v === -1)) return null;
  const diagonal = lin[1] === 0 && lin[2] === 0 && lin[0] !== 0 && lin[3] !== 0;
  const anti = lin[0] === 0 && lin[3] === 0 && lin[1] !== 0 && lin[2] !== 0;
  if (!diagonal && !anti) return null;
  if (diagonal ? outW !== inW || outH !== inH : outW !== inH || outH !== inW) return null;
  // The output's corners must land on the input's corners, or it is a shift, not a permutation.
  const corner = (x: number, y: number) => {
    const [u, v] = applyToPoint(m, x, y);
    return (u === 0 || u === inW - 1) && (v === 0 || v === inH - 1);
  };
  if (!corner(0, 0) || !corner(outW - 1, outH - 1)) return null;
  return lin.join(',');
}

function isExact(st: GeometryStage): boolean {
  return st.insideOnly && permutationPattern(st.inverse, st.inWidth, st.inHeight, st.outWidth, st.outHeight) !== null;
}

function buildPass(stages: readonly GeometryStage[], runStart: boolean): GeometryPass {
  const k = stages.length;
  const first = stages[0]!;
  const last = stages[k - 1]!;
  // composed[j]: output → stage j's input, multiplied in the same order as `warp` so coordinates match bit for bit.
  const composed = new Array<Mat3>(k);
  composed[k - 1] = last.inverse;
  for (let j = k - 2; j >= 0; j--) composed[j] = multiply(stages[j]!.inverse, composed[j + 1]!);
  const masks: ConstantMask[] = [];
  let source: GeometryPass['source'] = 'clamp';
  let sourceColour: readonly [number, number, number] = [0, 0, 0];
  stages.forEach((st, j) => {
    if (st.insideOnly) return;
    if (st.fill === 'constant' && runStart && j === 0) {
      source = 'constant';
      sourceColour = st.fillColour;
    } else if (st.fill === 'constant') masks.push({ inverse: composed[j]!, inWidth: st.inWidth, inHeight: st.inHeight, colour: st.fillColour });
    else source = st.fill === 'reflect' ? 'reflect' : 'clamp';
  });
  const inverse = composed[0]!;
  const exact = stages.every(isExact) ? permutationPattern(inverse, first.inWidth, first.inHeight, last.outWidth, last.outHeight) : null;
  return {
    inWidth: first.inWidth,
    inHeight: first.inHeight,
    outWidth: last.outWidth,
    outHeight: last.outHeight,
    inverse,
    source,
    sourceColour,
    masks,
    exact,
  };
}

/** Splits a fused run of stages into the fewest passes that reproduce the sharp side's fills. */
export function planPasses(stages: readonly GeometryStage[]): GeometryPass[] {
  const passes: GeometryPass[] = [];
  let current: GeometryStage[] = [];
  for (const st of stages) {
    const foldsIntoSource = !st.insideOnly && st.fill !== 'constant';
    if (foldsIntoSource && current.some((s) => !isExact(s))) {
      passes.push(buildPass(current, passes.length === 0));
      current = [];
    }
    current.push(st);
  }
  if (current.length) passes.push(buildPass(current, passes.length === 0));
  return passes;
}

/** Passes with equal signatures run as one batched call. */
export function passSignature(p: GeometryPass): string {
  const masks = p.masks.map((m) => `${m.inWidth}x${m.inHeight}`).join(';');
  return `${p.inWidth}x${p.inHeight}>${p.outWidth}x${p.outHeight}|${p.source}|${masks}|${p.exact ?? ''}`;
}

/**
 * How far past each edge the pass reads (in pixels, plus one for the bilinear neighbour), so a
 * reflect-101 mirror pad of that width makes the read exact; capped where a single mirror ends.
 */
export function reflectPadding(p: GeometryPass): { x: number; y: number } {
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const [cx, cy] of [[0, 0], [p.outWidth - 1, 0], [0, p.outHeight - 1], [p.outWidth - 1, p.outHeight - 1]] as const) {
    const [u, v] = applyToPoint(p.inverse, cx, cy);
    minX = Math.min(minX, u);
    maxX = Math.max(maxX, u);
    minY = Math.min(minY, v);
    maxY = Math.max(maxY, v);
  }
  const over = (lo: number, hi: number, n: number) => Math.max(0, Math.ceil(Math.max(-lo, hi - (n - 1))) + 1);
  return {
    x: Math.min(over(minX, maxX, p.inWidth), p.inWidth - 1),
    y: Math.min(over(minY, maxY, p.inHeight), p.inHeight - 1),
  };
}

/**
 * For every output pixel, which constant fill covers it (index into `masks`, the last stage whose
 * input it leaves), or -1 where the image shows. Same float64 arithmetic and bounds as `warp`.
 */
export function fillIndex(p: GeometryPass): Int8Array | null {
  if (p.masks.length === 0) return null;
  const W = p.outWidth;
  const H = p.outHeight;
  const out = new Int8Array(W * H).fill(-1);
  let any = false;
  p.masks.forEach((m, k) => {
    const [a0, a1, a2, a3, a4, a5, a6, a7, a8] = m.inverse;
    const affine = a6 === 0 && a7 === 0 && a8 === 1;
    const hiX = m.inWidth - 0.5;
    const hiY = m.inHeight - 0.5;
    for (let y = 0, o = 0; y < H; y++) {
      for (let x = 0; x < W; x++, o++) {
        let X = a0 * x + a1 * y + a2;
        let Y = a3 * x + a4 * y + a5;
        if (!affine) {
          const Z = a6 * x + a7 * y + a8;
          X /= Z;
          Y /= Z;
        }
        if (X < -0.5 || X > hiX || Y < -0.5 || Y > hiY) {
          out[o] = k;
          any = true;
        }
      }
    }
  });
  return any ? out : null;
}
