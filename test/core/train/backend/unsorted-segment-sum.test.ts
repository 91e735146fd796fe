import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { rand, reference, relativeError, runOn } from './kernel-check.js';

const ids = (values: number[]) => ({ shape: [values.length], values: new Int32Array(values), dtype: 'int32' as const });

const cases = [
  { name: 'rows of a matrix into fewer segments', x: [6, 4], segmentIds: [0, 2, 0, 1, 2, 2], numSegments: 3 },
  { name: 'a vector, with empty segments', x: [5], segmentIds: [4, 4, 0, 4, 1], numSegments: 6 },
  { name: 'rank-3 rows', x: [4, 2, 3], segmentIds: [1, 0, 1, 1], numSegments: 2 },
  { name: 'ids out of range are dropped', x: [5, 2], segmentIds: [0, -1, 3, 1, 7], numSegments: 4 },
];

describe('UnsortedSegmentSum on wasm', () => {
  it.each(cases)('matches the stock cpu kernel: $name', async ({ x, segmentIds, numSegments }) => {
    const inputs = { x: rand(x, 12), segmentIds: ids(segmentIds) };
    const expected = await reference(tf.UnsortedSegmentSum, inputs, { numSegments });
    const actual = await runOn('wasm', tf.UnsortedSegmentSum, inputs, { numSegments });
    expect(actual.shape).toEqual(expected.shape);
    expect(relativeError(actual.values, expected.values)).toBeLessThan(1e-6);
  });

  it('gives tf.gather a gradient on wasm', async () => {
    await runOn('wasm', tf.Identity, { x: rand([1], 0) }, {});
    const table = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]);
    const idx = tf.tensor1d([2, 0, 2], 'int32');
    const g = tf.grad((t: tf.Tensor) => tf.gather(t, idx).sum())(table);
    expect(Array.from(await g.data())).toEqual([1, 1, 0, 0, 2, 2]);
    tf.dispose([table, idx, g]);
  });
});
