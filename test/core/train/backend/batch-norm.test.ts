import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../../../src/core/train/backend/init-backend.js';
import { batchNormTraining } from '../../../../src/core/train/backend/layers/batch-norm-op.js';
import { batchNormalization, FastBatchNormalization } from '../../../../src/core/train/backend/layers/fast-batch-normalization.js';
import { rand, relativeError } from './kernel-check.js';

const EPS = 1e-3;

/** tfjs's composite, as tfjs-layers computes it in training. */
function stockBatchNorm(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D): tf.Tensor {
  const axes = x.shape.map((_, i) => i).slice(0, -1);
  const { mean, variance } = tf.moments(x, axes);
  return tf.batchNorm(x, mean, variance, beta, gamma, EPS);
}

async function values(t: tf.Tensor): Promise<Float32Array> {
  return Float32Array.from(await t.data());
}

describe.each(['wasm', 'cpu'] as const)('fused training batch norm on %s', (backend) => {
  it.each([
    { name: 'NHWC activations', shape: [4, 5, 6, 3] },
    { name: 'dense activations (rank 2)', shape: [7, 5] },
  ])('matches the composite in value and gradient: $name', async ({ shape }) => {
    await initBackend({ prefer: backend });
    const c = shape[shape.length - 1] as number;
    const x = tf.tensor(rand(shape, 21).values, shape);
    const gamma = tf.tensor1d(rand([c], 22).values);
    const beta = tf.tensor1d(rand([c], 23).values);
    const w = tf.tensor(rand(shape, 24).values, shape); // a loss that weighs every output differently
    const fused = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
      const r = batchNormTraining(a, g as tf.Tensor1D, b as tf.Tensor1D, EPS);
      r.mean.dispose();
      r.variance.dispose();
      return tf.sum(tf.mul(r.y, w));
    });
    const stock = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(stockBatchNorm(a, g as tf.Tensor1D, b as tf.Tensor1D), w)));
    const got = fused([x, gamma, beta]);
    const want = stock([x, gamma, beta]);
    for (let i = 0; i < 3; i++) {
      expect(relativeError(await values(got[i] as tf.Tensor), await values(want[i] as tf.Tensor))).toBeLessThan(1e-4);
    }
    const r = batchNormTraining(x, gamma, beta, EPS);
    expect(relativeError(await values(r.y), await values(stockBatchNorm(x, gamma, beta)))).toBeLessThan(1e-4);
    const m = tf.moments(x, shape.map((_, i) => i).slice(0, -1));
    expect(relativeError(await values(r.mean), await values(m.mean))).toBeLessThan(1e-6);
    expect(relativeError(await values(r.variance), await values(m.variance))).toBeLessThan(1e-5);
    tf.dispose([x, gamma, beta, w, ...got, ...want, r.y, r.mean, r.variance, m.mean, m.variance]);
  });

  it('keeps batch statistics exact for activations far from zero', async () => {
    await initBackend({ prefer: backend });
    const shape = [3, 4, 4, 2];
    const v = rand(shape, 27).values.map((e) => 1000 + e);
    const x = tf.tensor(v, shape);
    const r = batchNormTraining(x, tf.ones([2]) as tf.Tensor1D, tf.zeros([2]) as tf.Tensor1D, EPS);
    const mean = [0, 0];
    const sq = [0, 0];
    v.forEach((e, i) => (mean[i % 2] = (mean[i % 2] as number) + e / (v.length / 2)));
    v.forEach((e, i) => (sq[i % 2] = (sq[i % 2] as number) + (e - (mean[i % 2] as number)) ** 2 / (v.length / 2)));
    expect(relativeError(await values(r.mean), Float32Array.from(mean))).toBeLessThan(1e-6);
    expect(relativeError(await values(r.variance), Float32Array.from(sq))).toBeLessThan(1e-4);
    tf.dispose([x, r.y, r.mean, r.variance]);
  });

  it('leaks no tensors over a gradient step', async () => {
    await initBackend({ prefer: backend });
    const x = tf.tensor(rand([2, 3, 3, 4], 25).values, [2, 3, 3, 4]);
    const gamma = tf.ones([4]) as tf.Tensor1D;
    const beta = tf.zeros([4]) as tf.Tensor1D;
    const before = tf.memory().numTensors;
    const g = tf.grads((a: tf.Tensor) => {
      const r = batchNormTraining(a, gamma, beta, EPS);
      r.mean.dispose();
      r.variance.dispose();
      return tf.sum(tf.square(r.y));
    })([x]);
    tf.dispose(g);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, gamma, beta]);
  });
});

describe('FastBatchNormalization layer', () => {
  it('trains like the stock layer: same output, same moving statistics', async () => {
    await initBackend({ prefer: 'wasm' });
    const x = tf.tensor(rand([4, 6, 6, 3], 26).values, [4, 6, 6, 3]);
    const fast = batchNormalization({ momentum: 0.9 });
    const stock = tf.layers.batchNormalization({ momentum: 0.9 });
    fast.build(x.shape);
    stock.build(x.shape);
    const weights = [tf.tensor1d([0.5, 1.5, -1]), tf.tensor1d([0.1, 0, -0.2]), tf.tensor1d([0.3, -0.1, 0]), tf.tensor1d([2, 1, 0.5])];
    fast.setWeights(weights);
    stock.setWeights(weights);
    const yf = fast.apply(x, { training: true }) as tf.Tensor;
    const ys = stock.apply(x, { training: true }) as tf.Tensor;
    expect(relativeError(await values(yf), await values(ys))).toBeLessThan(1e-4);
    const wf = fast.getWeights();
    const ws = stock.getWeights();
    for (let i = 2; i < 4; i++) expect(relativeError(await values(wf[i] as tf.Tensor), await values(ws[i] as tf.Tensor))).toBeLessThan(1e-5);
    const inf = fast.apply(x, { training: false }) as tf.Tensor;
    const infStock = stock.apply(x, { training: false }) as tf.Tensor;
    expect(relativeError(await values(inf), await values(infStock))).toBeLessThan(1e-5);
    tf.dispose([x, yf, ys, inf, infStock, ...weights]);
  });

  it('serializes as the standard BatchNormalization layer', () => {
    const layer = batchNormalization({});
    expect(layer).toBeInstanceOf(FastBatchNormalization);
    expect(layer.getClassName()).toBe('BatchNormalization');
  });
});
