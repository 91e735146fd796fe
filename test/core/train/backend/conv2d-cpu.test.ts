import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { convCases } from './conv-cases.js';
import { rand, reference, relativeError, runOn } from './kernel-check.js';

const cases = [...convCases, { ...convCases[0]!, name: '3x3 same stride 1, dilation 2', dilation: 2 }];

describe('Conv2D on cpu (im2col + JS GEMM)', () => {
  it.each(cases)('matches the stock cpu kernel: $name', async (c) => {
    const ci = c.x[3] as number;
    const inputs = { x: rand(c.x, 61), filter: rand([c.k, c.k, ci, c.co], 62) };
    const attrs = { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', dilations: 'dilation' in c ? c.dilation : 1 } as unknown as tf.NamedAttrMap;
    const expected = await reference(tf.Conv2D, inputs, attrs);
    const actual = await runOn('cpu', tf.Conv2D, inputs, attrs);
    expect(actual.shape).toEqual(expected.shape);
    expect(relativeError(actual.values, expected.values)).toBeLessThan(1e-5);
  });
});

describe('FusedConv2D on cpu', () => {
  it.each([
    { activation: 'relu', withBias: true },
    { activation: 'linear', withBias: false },
    { activation: 'elu', withBias: true }, // stock kernel
  ])('matches the stock cpu kernel: $activation, bias $withBias', async ({ activation, withBias }) => {
    const inputs = { x: rand([2, 7, 6, 3], 63), filter: rand([3, 3, 3, 4], 64), ...(withBias ? { bias: rand([4], 65) } : {}) };
    const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', dilations: 1, activation } as unknown as tf.NamedAttrMap;
    const expected = await reference(tf.FusedConv2D, inputs, attrs);
    const actual = await runOn('cpu', tf.FusedConv2D, inputs, attrs);
    expect(relativeError(actual.values, expected.values)).toBeLessThan(1e-5);
  });
});
