import { ApiError } from '../../shared/api/errors.js';
import type { ConcreteOp, GeometryStage, PixelOp, RawImage, Size } from './op.js';
import { warp } from './pixels/warp.js';
import { findPixelOp } from './registry.js';
import { resizeStage } from './resize-stage.js';

export interface ApplyOptions {
  /** Resample runs of consecutive geometric ops once (default). Off = one resample per op, for tests. */
  readonly fuse?: boolean;
  readonly signal?: AbortSignal;
  /** Resample the result to this size, fused into a trailing geometric run (training batches). */
  readonly outputSize?: Size;
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
 * (the same result as one after another, interpolated once); the rest run op by op.
 */
export async function applyOps(image: RawImage, ops: readonly ConcreteOp[], options: ApplyOptions = {}): Promise<RawImage> {
  const fuse = options.fuse ?? true;
  let current = image;
  let stages: GeometryStage[] = [];
  let size: Size = { width: image.width, height: image.height };
  const flush = () => {
    if (stages.length) current = warp(current, stages);
    stages = [];
  };
  for (const c of ops) {
    options.signal?.throwIfAborted();
    const op = lookup(c);
    try {
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
