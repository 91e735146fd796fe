import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { convCases, convOutShape } from './conv-cases.js';
import { rand, reference, relativeError, runOn } from './kernel-check.js';

describe.each(['wasm', 'cpu'] as const)('Conv2DBackpropInput on %s', (backend) => {
  it.each(convCases)('matches the stock cpu kernel: $name', async (c) => {
    const ci = c.x[3] as number;
    const inputs = { dy: rand(convOutShape(c), 3), filter: rand([c.k, c.k, ci, c.co], 4) };
    const attrs = { strides: [c.stride, c.stride], pad: c.pad, dataFormat: 'NHWC', inputShape: c.x } as unknown as tf.NamedAttrMap;
    const expected = await reference(tf.Conv2DBackpropInput, inputs, attrs);
    const actual = await runOn(backend, tf.Conv2DBackpropInput, inputs, attrs);
    expect(actual.shape).toEqual(c.x);
    expect(relativeError(actual.values, expected.values)).toBeLessThan(1e-4);
  });
});
