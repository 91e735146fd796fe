import { ApiError } from '../../shared/api/errors.js';
import type { ConcreteOp, GeometryStage, PixelOp, RawImage, Size } from './op.js';
import { applyColourRun, colourRunLength } from './pixels/colour-run.js';
import { warp, type SourceWindow } from './pixels/warp.js';
import { findPixelOp } from './registry.js';
import { resizeStage } from './resize-stage.js';

export interface ApplyOptions {
  /**
   * Resample runs of consecutive geometric ops once and do runs of colour ops in one pass (default).
   * Off = op by op, for tests.
   */
  readonly fuse?: boolean;
  readonly signal?: AbortSignal;
  /** Resample the result to this size, fused into a trailing geometric run (training batches). */
  readonly outputSize?: Size;
  /**
   * `image` is only this part of the source (see source-window.ts): the ops must start with the
   * geometric run whose reads it holds.
   */
  readonly window?: SourceWindow;
}

function lookup(c: ConcreteOp): PixelOp {
  const op = findPixelOp(c.op);
  if (!op) throw new ApiError('invalid_input', `Concrete op at ${c.path || '?'} names unknown op "${c.op}".`);
  return op;
}

function failed(c: ConcreteOp, err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const why = err instanceof Error ? err.message : String(err);
  return new ApiError('invalid_input', `Applying ${c.op} (pipeline ops ${c.path || '?'}) with ${JSON.stringify(c.params)} failed: ${why}`);
}

/**
 * Applies concrete ops in order. Consecutive geometric ops become one resample at the final size
 * (the same result as one after another, interpolated once); a colour run (brightness, contrast,
 * saturation, hue, see colour-run.ts) becomes one pass with the same bytes; the rest run op by op.
 */
export async function applyOps(image: RawImage, ops: readonly ConcreteOp[], options: ApplyOptions = {}): Promise<RawImage> {
  const fuse = options.fuse ?? true;
  let current = image;
  let stages: GeometryStage[] = [];
  let window = options.window;
  let size: Size = window ? { width: window.fullWidth, height: window.fullHeight } : { width: image.width, height: image.height };
  const flush = () => {
    if (stages.length) current = warp(current, stages, 'wasm', window);
    else if (window) throw new ApiError('internal', 'A partly decoded source needs ops that start with a geometric op.');
    stages = [];
    window = undefined;
  };
  for (let i = 0; i < ops.length; i++) {
    options.signal?.throwIfAborted();
    const c = ops[i]!;
    const op = lookup(c);
    try {
      const run = fuse ? colourRunLength(ops, i) : 0;
      if (run > 0) {
        flush();
        current = applyColourRun(current, ops.slice(i, i + run));
        i += run - 1;
        continue;
      }
      if (fuse && op.geometry) {
        const st = op.geometry(c.params, size);
        stages.push(st);
        size = { width: st.outWidth, height: st.outHeight };
        continue;
      }
      flush();
      current = await op.apply(current, c.params);
      size = { width: current.width, height: current.height };
    } catch (err) {
      throw failed(c, err);
    }
  }
  const target = options.outputSize;
  if (target && (size.width !== target.width || size.height !== target.height)) stages.push(resizeStage(size, target));
  flush();
  return current;
}
