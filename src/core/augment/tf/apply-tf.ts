import * as tf from '@tensorflow/tfjs';
import { ApiError } from '../../../shared/api/errors.js';
import type { ConcreteOp, GeometryStage, RawImage, Size } from '../op.js';
import { findPixelOp } from '../registry.js';
import { resizeStage } from '../resize-stage.js';
import { passSignature, planPasses, type GeometryPass } from './geometry-plan.js';
import { runPass } from './geometry-run.js';
import { findTfOp } from './tf-ops.js';

export interface TfApplyOptions {
  /** Resample runs of consecutive geometric ops together, as the sharp side does (default). */
  readonly fuse?: boolean;
  readonly signal?: AbortSignal;
  /** Resample every result to this size, fused into a trailing geometric run (as applyOps does). */
  readonly outputSize?: Size;
}

/** One step of one image's work: a geometry pass or one non-geometric op. */
type Unit =
  | { readonly kind: 'pass'; readonly pass: GeometryPass; readonly key: string; readonly source: ConcreteOp }
  | { readonly kind: 'op'; readonly op: ConcreteOp; readonly key: string };

function failed(c: ConcreteOp, err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const why = err instanceof Error ? err.message : String(err);
  return new ApiError('invalid_input', `Applying ${c.op} (pipeline ops ${c.path || '?'}) with ${JSON.stringify(c.params)} in TensorFlow.js failed: ${why}`);
}

/** An image's concrete ops as units, geometry fused into passes exactly where the sharp side fuses it. */
function unitsOf(ops: readonly ConcreteOp[], size: Size, fuse: boolean, target: Size | undefined): Unit[] {
  const units: Unit[] = [];
  let stages: GeometryStage[] = [];
  let firstGeometric: ConcreteOp | null = null;
  let current = size;
  const flush = () => {
    for (const pass of planPasses(stages)) units.push({ kind: 'pass', pass, key: `pass:${passSignature(pass)}`, source: firstGeometric! });
    stages = [];
    firstGeometric = null;
  };
  for (const c of ops) {
    const op = findPixelOp(c.op);
    if (!op) throw new ApiError('invalid_input', `Concrete op at ${c.path || '?'} names unknown op "${c.op}".`);
    if (op.geometry) {
      let st: GeometryStage;
      try {
        st = op.geometry(c.params, current);
      } catch (err) {
        throw failed(c, err);
      }
      firstGeometric ??= c;
      stages.push(st);
      current = { width: st.outWidth, height: st.outHeight };
      if (!fuse) flush();
      continue;
    }
    flush();
    if (!findTfOp(c.op)) throw new ApiError('internal', `The TensorFlow.js side has no implementation of "${c.op}".`);
    units.push({ kind: 'op', op: c, key: `op:${c.op}:${current.width}x${current.height}` });
  }
  if (target && (current.width !== target.width || current.height !== target.height)) {
    firstGeometric ??= { op: 'resize', params: { width: target.width, height: target.height }, path: 'output' };
    stages.push(resizeStage(current, target));
  }
  flush();
  return units;
}

async function runUnits(x: tf.Tensor4D, units: readonly Unit[]): Promise<tf.Tensor4D> {
  const first = units[0]!;
  if (first.kind === 'pass') {
    try {
      return runPass(x, units.map((u) => (u as Extract<Unit, { kind: 'pass' }>).pass));
    } catch (err) {
      throw failed(first.source, err);
    }
  }
  const impl = findTfOp(first.op.op)!;
  try {
    return (await impl.run(x, units.map((u) => (u as Extract<Unit, { kind: 'op' }>).op.params))) as tf.Tensor4D;
  } catch (err) {
    throw failed(first.op, err);
  }
}

/**
 * Applies each image's concrete ops (sampled once, shared with the sharp side) with TensorFlow.js.
 * Images are [H, W, 3] tensors of whole numbers 0..255; each may have its own ops and size. At
 * every step the images whose next step is the same op (or the same geometry pass shape) at the same
 * size run as one batch with per-image parameters, so a batch from one pipeline takes few kernel
 * calls. Returns new float32 tensors (0..255, whole numbers) owned by the caller; inputs are untouched.
 */
export async function applyOpsTf(images: readonly tf.Tensor3D[], ops: readonly (readonly ConcreteOp[])[], options: TfApplyOptions = {}): Promise<tf.Tensor3D[]> {
  if (ops.length !== images.length) throw new ApiError('internal', `applyOpsTf: ${images.length} images but ${ops.length} op lists`);
  const fuse = options.fuse ?? true;
  const queues = images.map((img, i) => unitsOf(ops[i]!, { width: img.shape[1], height: img.shape[0] }, fuse, options.outputSize));
  const pos = images.map(() => 0);
  const current: tf.Tensor3D[] = images.map((img) => (img.dtype === 'float32' ? img : tf.cast(img, 'float32')));
  const owned = images.map((img, i) => current[i] !== img);
  try {
    for (;;) {
      options.signal?.throwIfAborted();
      const counts = new Map<string, number[]>();
      queues.forEach((q, i) => {
        const u = q[pos[i]!];
        if (!u) return;
        const list = counts.get(u.key);
        if (list) list.push(i);
        else counts.set(u.key, [i]);
      });
      if (counts.size === 0) break;
      let members: number[] = [];
      for (const list of counts.values()) if (list.length > members.length) members = list;
      const batch = tf.stack(members.map((i) => current[i]!)) as tf.Tensor4D;
      let outs: tf.Tensor3D[];
      try {
        const result = await runUnits(batch, members.map((i) => queues[i]![pos[i]!]!));
        outs = tf.unstack(result) as tf.Tensor3D[];
        if (result !== batch) result.dispose();
      } finally {
        batch.dispose();
      }
      members.forEach((i, k) => {
        if (owned[i]) current[i]!.dispose();
        current[i] = outs[k]!;
        owned[i] = true;
        pos[i]!++;
      });
    }
  } catch (err) {
    current.forEach((t, i) => owned[i] && t.dispose());
    throw err;
  }
  return current.map((t, i) => (owned[i] ? t : tf.clone(t)));
}

export function rawToTensor(image: RawImage): tf.Tensor3D {
  return tf.tensor3d(Float32Array.from(image.data), [image.height, image.width, 3]);
}

/** Reads a 0..255 tensor back as pixels (values are already whole numbers; clamped for safety). */
export async function tensorToRaw(t: tf.Tensor3D): Promise<RawImage> {
  const values = await t.data();
  const data = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) data[i] = Math.max(0, Math.min(255, Math.round(values[i]!)));
  return { data, width: t.shape[1], height: t.shape[0], channels: 3 };
}

/** RawImage in, RawImage out: the tensor side with the sharp side's image type (tests, benchmarks). */
export async function applyOpsTfRaw(images: readonly RawImage[], ops: readonly (readonly ConcreteOp[])[], options: TfApplyOptions = {}): Promise<RawImage[]> {
  const inputs = images.map(rawToTensor);
  try {
    const outs = await applyOpsTf(inputs, ops, options);
    try {
      return await Promise.all(outs.map(tensorToRaw));
    } finally {
      outs.forEach((t) => t.dispose());
    }
  } finally {
    inputs.forEach((t) => t.dispose());
  }
}
