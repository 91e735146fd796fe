import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../../src/core/train/backend/init-backend.js';
import { stockKernel } from '../../../../src/core/train/backend/register-kernels.js';

export type Inputs = Record<string, { shape: number[]; values: Float32Array | Int32Array; dtype?: 'float32' | 'int32' }>;

/** Seeded uniform values in [-1, 1) (mulberry32), so failures reproduce. */
export function randomValues(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

export function rand(shape: number[], seed: number): { shape: number[]; values: Float32Array } {
  return { shape, values: randomValues(shape.reduce((a, b) => a * b, 1), seed) };
}

/** Runs a kernel through the engine on `backend`, with its inputs created on that backend. */
export async function runOn(backend: 'wasm' | 'cpu', kernelName: string, inputs: Inputs, attrs: tf.NamedAttrMap): Promise<{ shape: number[]; values: Float32Array }> {
  await initBackend({ prefer: backend });
  const ts: tf.NamedTensorMap = {};
  for (const [k, v] of Object.entries(inputs)) ts[k] = tf.tensor(v.values, v.shape, v.dtype ?? 'float32');
  const out = tf.engine().runKernel(kernelName, ts, attrs) as tf.Tensor;
  const values = Float32Array.from(await out.data());
  const shape = out.shape;
  out.dispose();
  for (const t of Object.values(ts)) t.dispose();
  return { shape, values };
}

/** Runs tfjs's own cpu kernel (the stock one, even where we registered a faster replacement). */
export async function reference(kernelName: string, inputs: Inputs, attrs: tf.NamedAttrMap): Promise<{ shape: number[]; values: Float32Array }> {
  await initBackend({ prefer: 'cpu' });
  const config = stockKernel(kernelName, 'cpu') ?? tf.getKernel(kernelName, 'cpu');
  if (!config) throw new Error(`no cpu kernel ${kernelName}`);
  const ts: tf.Tensor[] = [];
  const infos: tf.NamedTensorInfoMap = {};
  for (const [k, v] of Object.entries(inputs)) {
    const t = tf.tensor(v.values, v.shape, v.dtype ?? 'float32');
    ts.push(t);
    infos[k] = t;
  }
  const info = config.kernelFunc({ inputs: infos, attrs, backend: tf.backend() }) as tf.TensorInfo;
  const out = tf.engine().makeTensorFromTensorInfo(info);
  const values = Float32Array.from(await out.data());
  const shape = out.shape;
  out.dispose();
  ts.forEach((t) => t.dispose());
  return { shape, values };
}

/** Largest absolute difference, relative to the reference's largest magnitude. */
export function relativeError(actual: Float32Array, expected: Float32Array): number {
  if (actual.length !== expected.length) return Infinity;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs((actual[i] as number) - (expected[i] as number)));
    scale = Math.max(scale, Math.abs(expected[i] as number));
  }
  return diff / Math.max(scale, 1e-12);
}
