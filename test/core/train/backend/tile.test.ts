import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { rand, reference, relativeError, runOn } from './kernel-check.js';

const cases = [
  { name: 'batch-norm statistics to a full NHWC shape', shape: [1, 1, 1, 16], reps: [4, 6, 5, 1] },
  { name: 'every dimension repeated', shape: [2, 3, 4], reps: [3, 2, 2] },
  { name: 'innermost dimension repeated', shape: [3, 2], reps: [1, 4] },
  { name: 'rank 1', shape: [5], reps: [3] },
  { name: 'no repetition', shape: [2, 3, 2, 2], reps: [1, 1, 1, 1] },
  { name: 'zero repetitions', shape: [2, 3], reps: [0, 2] },
  { name: 'rank 5, odd repeats', shape: [1, 2, 1, 3, 1], reps: [3, 1, 5, 2, 7] },
];

describe.each(['wasm', 'cpu'] as const)('Tile on %s', (backend) => {
  it.each(cases)('matches the stock cpu kernel: $name', async ({ shape, reps }) => {
    const inputs = { x: rand(shape, 7) };
    const expected = await reference(tf.Tile, inputs, { reps });
    const actual = await runOn(backend, tf.Tile, inputs, { reps });
    expect(actual.shape).toEqual(expected.shape);
    expect(relativeError(actual.values, expected.values)).toBe(0);
  });

  it('tiles int32 tensors exactly', async () => {
    const inputs = { x: { shape: [2, 2], values: new Int32Array([1, -2, 3, 16777215]), dtype: 'int32' as const } };
    const actual = await runOn(backend, tf.Tile, inputs, { reps: [2, 3] });
    expect(Array.from(actual.values)).toEqual([1, -2, 1, -2, 1, -2, 3, 16777215, 3, 16777215, 3, 16777215, 1, -2, 1, -2, 1, -2, 3, 16777215, 3, 16777215, 3, 16777215]);
  });
});
