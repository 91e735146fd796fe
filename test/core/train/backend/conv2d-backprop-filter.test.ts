import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { convCases, convOutShape } from './conv-cases.js';
import { rand, reference, relativeError, runOn } from './kernel-check.js';

// 3 images of 100×90 output pixels: the wasm kernel works in chunks of whole images (here 1 + 1 + 1).
const chunked = { name: 'batch split into image chunks, stride 1 same', x: [3, 100, 90, 2], k: 3, co: 4, stride: 1, pad: 'same' as const };

describe.each(['wasm', 'cpu'] as const)('Conv2DBackpropFilter on %s', (backend) => {
  it.each([...convCases, chunked])('matches the stock cpu kernel: $name', async (c) => {
    const ci = c.x[3] as number;
    const inputs = { x: rand(c.x, 1), dy: rand(convOutShape(c), 2) };
    const attrs = { strides: [c.stride, c.stride], pad: c.pad, dataFormat: 'NHWC', filterShape: [c.k, c.k, ci, c.co] } as unknown as tf.NamedAttrMap;
    const expected = await reference(tf.Conv2DBackpropFilter, inputs, attrs);
    const actual = await runOn(backend, tf.Conv2DBackpropFilter, inputs, attrs);
    expect(actual.shape).toEqual([c.k, c.k, ci, c.co]);
    expect(relativeError(actual.values, expected.values)).toBeLessThan(1e-4);
  });
});
