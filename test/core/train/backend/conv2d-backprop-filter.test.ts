import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { rand, reference, relativeError, runOn } from './kernel-check.js';

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

const cases: { name: string; x: number[]; k: number; ci: number; co: number; stride: number; pad: Pad }[] = [
  { name: '3x3 same stride 1', x: [2, 9, 11, 3], k: 3, ci: 3, co: 4, stride: 1, pad: 'same' },
  { name: '3x3 valid stride 1', x: [2, 8, 7, 5], k: 3, ci: 5, co: 6, stride: 1, pad: 'valid' },
  { name: '1x1 valid stride 1', x: [3, 5, 6, 4], k: 1, ci: 4, co: 7, stride: 1, pad: 'valid' },
  { name: '5x5 same stride 2, odd size', x: [2, 13, 11, 3], k: 5, ci: 3, co: 8, stride: 2, pad: 'same' },
  { name: '3x3 valid stride 2, odd size', x: [1, 9, 9, 2], k: 3, ci: 2, co: 3, stride: 2, pad: 'valid' },
  { name: '2x2 same stride 2', x: [2, 7, 6, 4], k: 2, ci: 4, co: 5, stride: 2, pad: 'same' },
  { name: '4x4 explicit padding stride 1', x: [2, 6, 8, 3], k: 4, ci: 3, co: 2, stride: 1, pad: [[0, 0], [2, 1], [0, 3], [0, 0]] },
  { name: '3x3 explicit padding stride 2', x: [2, 10, 9, 3], k: 3, ci: 3, co: 4, stride: 2, pad: [[0, 0], [1, 2], [2, 0], [0, 0]] },
];

function outSize(x: number[], k: number, stride: number, pad: Pad): number[] {
  const info = tf.backend_util.computeConv2DInfo(x as [number, number, number, number], [k, k, x[3] as number, 1], stride, 1, pad);
  return [info.outHeight, info.outWidth];
}

describe.each(['wasm', 'cpu'] as const)('Conv2DBackpropFilter on %s', (backend) => {
  it.each(cases)('matches the stock cpu kernel: $name', async ({ x, k, ci, co, stride, pad }) => {
    const [ho, wo] = outSize(x, k, stride, pad);
    const inputs = { x: rand(x, 1), dy: rand([x[0] as number, ho as number, wo as number, co], 2) };
    const attrs = { strides: [stride, stride], pad, dataFormat: 'NHWC', filterShape: [k, k, ci, co] } as unknown as tf.NamedAttrMap;
    const expected = await reference(tf.Conv2DBackpropFilter, inputs, attrs);
    const actual = await runOn(backend, tf.Conv2DBackpropFilter, inputs, attrs);
    expect(actual.shape).toEqual([k, k, ci, co]);
    expect(relativeError(actual.values, expected.values)).toBeLessThan(1e-4);
  });
});
