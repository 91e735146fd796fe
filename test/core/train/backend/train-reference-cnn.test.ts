import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../../../src/core/train/backend/init-backend.js';
import { buildReferenceCnn } from '../../../../src/core/train/backend/reference-cnn.js';
import { randomValues, relativeError } from './kernel-check.js';

const SIZE = 16;
const BATCH = 8;

/** Inputs and one-hot labels, created on the active backend (never moved between backends). */
function batch(): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const labels = Array.from({ length: BATCH }, (_, i) => (i * 3) % 5);
  return {
    x: tf.tensor4d(randomValues(BATCH * SIZE * SIZE * 3, 31), [BATCH, SIZE, SIZE, 3]),
    y: tf.oneHot(tf.tensor1d(labels, 'int32'), 5).toFloat() as tf.Tensor2D,
  };
}

/** Loss gradients of every trainable weight, in training mode (batch statistics for batch norm). */
async function gradients(model: tf.Sequential): Promise<{ loss: number; grads: Float32Array[] }> {
  const { x, y } = batch();
  const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, tf.log(model.apply(x, { training: true }) as tf.Tensor)).mean() as tf.Scalar);
  const out = { loss: (await value.data())[0] as number, grads: [] as Float32Array[] };
  for (const w of model.trainableWeights) out.grads.push(Float32Array.from(await (grads[w.originalName] as tf.Tensor).data()));
  tf.dispose([x, y, value, ...Object.values(grads)]);
  return out;
}

async function build(backend: 'wasm' | 'cpu', batchNorm: boolean, weights: Float32Array[] | null, stockBatchNorm = false) {
  await initBackend({ prefer: backend });
  const model = buildReferenceCnn(tf, { size: SIZE, batchNorm, dropout: 0, stockBatchNorm });
  if (weights) {
    const shapes = model.getWeights().map((w) => w.shape);
    model.setWeights(weights.map((v, i) => tf.tensor(v, shapes[i])));
  }
  return model;
}

describe.each([false, true])('the reference CNN (batch norm: %s)', (batchNorm) => {
  it('gets the same loss and gradients on wasm as on cpu', async () => {
    const wasmModel = await build('wasm', batchNorm, null);
    const weights = await Promise.all(wasmModel.getWeights().map(async (w) => Float32Array.from(await w.data())));
    const onWasm = await gradients(wasmModel);
    // On cpu the batch-norm layer is tfjs's own composite, so the fused layer is checked end to end.
    const cpuModel = await build('cpu', batchNorm, weights, true);
    const onCpu = await gradients(cpuModel);
    expect(Math.abs(onWasm.loss - onCpu.loss)).toBeLessThan(1e-4 * Math.max(1, Math.abs(onCpu.loss)));
    expect(onWasm.grads.length).toBe(onCpu.grads.length);
    onWasm.grads.forEach((g, i) => expect(relativeError(g, onCpu.grads[i] as Float32Array)).toBeLessThan(1e-3));
    wasmModel.dispose();
    cpuModel.dispose();
  });

  it('lowers its loss over a few Adam steps on wasm', async () => {
    // Seeded Glorot-uniform kernels: tfjs's own initialisers draw from Math.random, and one draw in
    // a CI run left the loss above the bar after 20 steps.
    const shaped = await build('wasm', batchNorm, null);
    const weights = await Promise.all(
      shaped.getWeights().map(async (w, i) => {
        if (w.shape.length < 2) return Float32Array.from(await w.data());
        const receptive = w.shape.slice(0, -2).reduce((a, b) => a * b, 1);
        const limit = Math.sqrt(6 / (receptive * (w.shape.at(-2)! + w.shape.at(-1)!)));
        return randomValues(w.size, 101 + i).map((v) => v * limit);
      }),
    );
    shaped.dispose();
    const model = await build('wasm', batchNorm, weights);
    model.compile({ optimizer: tf.train.adam(1e-2), loss: 'categoricalCrossentropy' });
    const { x, y } = batch();
    const losses: number[] = [];
    for (let i = 0; i < 20; i++) losses.push((await model.trainOnBatch(x, y)) as number);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(Math.min(...losses.slice(-3))).toBeLessThan((losses[0] as number) * 0.8);
    tf.dispose([x, y]);
    model.dispose();
  });
});
