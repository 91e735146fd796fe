import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { rand, reference, relativeError, runOn } from './kernel-check.js';

const cases = [
  { name: 'bias gradient: all but the channel axis', shape: [4, 5, 6, 3], axis: [0, 1, 2], keepDims: false },
  { name: 'leading axes given out of order, kept', shape: [4, 5, 6, 3], axis: [1, 0], keepDims: true },
  { name: 'the batch axis of a matrix', shape: [9, 7], axis: 0, keepDims: false },
  { name: 'a prime number of rows', shape: [13, 3], axis: 0, keepDims: false },
  { name: 'negative axis (not leading: stock kernel)', shape: [4, 5, 3], axis: -1, keepDims: false },
  { name: 'middle axes (stock kernel)', shape: [2, 5, 6, 3], axis: [1, 2], keepDims: true },
  { name: 'every axis (stock kernel)', shape: [3, 4], axis: [0, 1], keepDims: false },
];

describe('Sum on wasm', () => {
  it.each(cases)('matches the stock cpu kernel: $name', async ({ shape, axis, keepDims }) => {
    const inputs = { x: rand(shape, 41) };
    const expected = await reference(tf.Sum, inputs, { axis, keepDims });
    const actual = await runOn('wasm', tf.Sum, inputs, { axis, keepDims });
    expect(actual.shape).toEqual(expected.shape);
    expect(relativeError(actual.values, expected.values)).toBeLessThan(1e-5);
  });

  it('sums int32 tensors exactly (stock kernel)', async () => {
    const inputs = { x: { shape: [3, 2], values: new Int32Array([1, 2, 3, 4, 5, 6]), dtype: 'int32' as const } };
    const actual = await runOn('wasm', tf.Sum, inputs, { axis: [0], keepDims: false });
    expect(Array.from(actual.values)).toEqual([9, 12]);
  });
});
