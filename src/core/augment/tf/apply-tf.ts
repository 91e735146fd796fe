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
function unitsOf(ops: readonly ConcreteOp[], size: Size, fuse: boolean, target: Size | undefined): { units: Unit[]; size: Size } {
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
    current = target;
  }
  flush();
  return { units, size: current };
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
 * The images being worked on: one [B, H, W, 3] tensor while every step has covered all of them (no
 * stacking per step), per-image tensors once their steps or sizes part ways.
 */
class Working {
  private batch: tf.Tensor4D | null;
  private slots: tf.Tensor3D[] = [];
  private owned: boolean[] = [];
  /** The batch is a result of ours (not the caller's input) and is disposed when replaced. */
  private batchOwned = false;

  constructor(
    input: tf.Tensor4D | readonly tf.Tensor3D[],
    private readonly inputOwned: boolean,
  ) {
    if (Array.isArray(input)) {
      this.batch = null;
      this.slots = (input as tf.Tensor3D[]).map((t) => (t.dtype === 'float32' ? t : tf.cast(t, 'float32')));
      this.owned = this.slots.map((t, i) => t !== (input as tf.Tensor3D[])[i]);
    } else this.batch = input as tf.Tensor4D;
  }

  get count(): number {
    return this.batch ? this.batch.shape[0] : this.slots.length;
  }

  private unbatch(): void {
    if (!this.batch) return;
    this.slots = tf.unstack(this.batch) as tf.Tensor3D[];
    this.owned = this.slots.map(() => true);
    if (this.inputOwned || this.batchOwned) this.batch.dispose();
    this.batch = null;
  }

  /** The members as one tensor, and whether the caller must dispose it. */
  take(members: readonly number[]): { x: tf.Tensor4D; temporary: boolean } {
    if (this.batch && members.length === this.count) return { x: this.batch, temporary: false };
    this.unbatch();
    return { x: tf.stack(members.map((i) => this.slots[i]!)) as tf.Tensor4D, temporary: true };
  }

  put(members: readonly number[], result: tf.Tensor4D): void {
    if (members.length === this.count && (this.batch || this.slots.length === 0 || members.every((m, k) => m === k))) {
      if (this.batch && this.batch !== result && (this.batchOwned || this.inputOwned)) this.batch.dispose();
      this.slots.forEach((t, i) => this.owned[i] && t.dispose());
      this.slots = [];
      this.owned = [];
      this.batch = result;
      this.batchOwned = true;
      return;
    }
    const outs = tf.unstack(result) as tf.Tensor3D[];
    result.dispose();
    members.forEach((i, k) => {
      if (this.owned[i]) this.slots[i]!.dispose();
      this.slots[i] = outs[k]!;
      this.owned[i] = true;
    });
  }

  /** Everything as one batch (sizes must agree); the caller owns the result. */
  toBatch(): tf.Tensor4D {
    if (this.batch) return this.batchOwned || this.inputOwned ? this.batch : tf.clone(this.batch);
    const out = tf.stack(this.slots) as tf.Tensor4D;
    this.slots.forEach((t, i) => this.owned[i] && t.dispose());
    return out;
  }

  /** Everything per image; the caller owns the results. */
  toList(): tf.Tensor3D[] {
    if (this.batch) {
      const list = tf.unstack(this.batch) as tf.Tensor3D[];
      if (this.batchOwned || this.inputOwned) this.batch.dispose();
      return list;
    }
    return this.slots.map((t, i) => (this.owned[i] ? t : tf.clone(t)));
  }

  dispose(): void {
    if (this.batch && (this.batchOwned || this.inputOwned)) this.batch.dispose();
    this.slots.forEach((t, i) => this.owned[i] && t.dispose());
  }
}

async function run(work: Working, sizes: readonly Size[], ops: readonly (readonly ConcreteOp[])[], options: TfApplyOptions, uniform: boolean): Promise<void> {
  if (ops.length !== work.count) throw new ApiError('internal', `applyOpsTf: ${work.count} images but ${ops.length} op lists`);
  const fuse = options.fuse ?? true;
  const plans = sizes.map((size, i) => unitsOf(ops[i]!, size, fuse, options.outputSize));
  if (uniform && new Set(plans.map((p) => `${p.size.width}x${p.size.height}`)).size > 1) {
    throw new ApiError('invalid_input', 'applyOpsTfBatch: these ops give images of different sizes; pass outputSize to bring them to one size.');
  }
  const queues = plans.map((p) => p.units);
  const pos = sizes.map(() => 0);
  for (;;) {
    options.signal?.throwIfAborted();
    const groups = new Map<string, number[]>();
    queues.forEach((q, i) => {
      const u = q[pos[i]!];
      if (!u) return;
      const list = groups.get(u.key);
      if (list) list.push(i);
      else groups.set(u.key, [i]);
    });
    if (groups.size === 0) return;
    let members: number[] = [];
    for (const list of groups.values()) if (list.length > members.length) members = list;
    const { x, temporary } = work.take(members);
    let result: tf.Tensor4D;
    try {
      result = await runUnits(x, members.map((i) => queues[i]![pos[i]!]!));
    } finally {
      if (temporary) x.dispose();
    }
    work.put(members, result === x && !temporary ? tf.clone(result) : result);
    for (const i of members) pos[i]!++;
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
  const work = new Working(images, false);
  try {
    await run(work, images.map((img) => ({ width: img.shape[1], height: img.shape[0] })), ops, options, false);
  } catch (err) {
    work.dispose();
    throw err;
  }
  return work.toList();
}

/**
 * The same for a batch tensor [B, H, W, 3] (float32, 0..255), staying one tensor while every image
 * takes the same steps. All outputs must come out the same size (give `outputSize`, as training does).
 */
export async function applyOpsTfBatch(x: tf.Tensor4D, ops: readonly (readonly ConcreteOp[])[], options: TfApplyOptions = {}): Promise<tf.Tensor4D> {
  const [B, H, W] = x.shape;
  const work = new Working(x.dtype === 'float32' ? x : (tf.cast(x, 'float32') as tf.Tensor4D), x.dtype !== 'float32');
  try {
    await run(work, Array.from({ length: B }, () => ({ width: W, height: H })), ops, options, true);
    return work.toBatch();
  } catch (err) {
    work.dispose();
    throw err;
  }
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
