import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { convCases } from './conv-cases.js';
import { rand, reference, relativeError, runOn } from './kernel-check.js';

const cases = [
  ...convCases.map((c) => ({ ...c, mult: 1, dilation: 1 })),
  ...convCases.slice(0, 6).map((c) => ({ ...c, name: `${c.name}, channel multiplier 2`, mult: 2, dilation: 1 })),
];

function outShape(c: (typeof cases)[number]): number[] {
  const ci = c.x[3] as number;
  const info = tf.backend_util.computeConv2DInfo(c.x as [number, number, number, number], [c.k, c.k, ci, c.mult], c.stride, c.dilation, c.pad, undefined, true);
  return info.outShape;
}

describe('DepthwiseConv2dNativeBackpropFilter on wasm', () => {
  it.each(cases)('matches the stock cpu kernel: $name', async (c) => {
    const ci = c.x[3] as number;
    const inputs = { x: rand(c.x, 8), dy: rand(outShape(c), 9) };
    const attrs = { strides: c.stride, dilations: c.dilation, pad: c.pad, filterShape: [c.k, c.k, ci, c.mult] } as unknown as tf.NamedAttrMap;
    const expected = await reference(tf.DepthwiseConv2dNativeBackpropFilter, inputs, attrs);
    const actual = await runOn('wasm', tf.DepthwiseConv2dNativeBackpropFilter, inputs, attrs);
    expect(actual.shape).toEqual([c.k, c.k, ci, c.mult]);
    expect(relativeError(actual.values, expected.values)).toBeLessThan(1e-4);
  });
});

describe('DepthwiseConv2dNativeBackpropInput on wasm', () => {
  it.each(cases)('matches the stock cpu kernel: $name', async (c) => {
    const ci = c.x[3] as number;
    const inputs = { dy: rand(outShape(c), 10), filter: rand([c.k, c.k, ci, c.mult], 11) };
    const attrs = { strides: c.stride, dilations: c.dilation, pad: c.pad, inputShape: c.x } as unknown as tf.NamedAttrMap;
    const expected = await reference(tf.DepthwiseConv2dNativeBackpropInput, inputs, attrs);
    const actual = await runOn('wasm', tf.DepthwiseConv2dNativeBackpropInput, inputs, attrs);
    expect(actual.shape).toEqual(c.x);
    expect(relativeError(actual.values, expected.values)).toBeLessThan(1e-4);
  });
});

// The stock cpu backprop kernels ignore dilation, so dilated cases are checked by the adjoint identity
// <dy, conv(x, W)> = <x, dx(dy, W)> = <W, dW(x, dy)> against the forward convolution, which supports it.
describe('depthwise backprop kernels on wasm with dilation 2', () => {
  it('are the adjoints of the forward depthwise convolution', async () => {
    const xShape = [2, 9, 8, 3];
    const fShape = [3, 3, 3, 2];
    const x = rand(xShape, 13);
    const w = rand(fShape, 14);
    await runOn('wasm', tf.Identity, { x: rand([1], 0) }, {});
    const xt = tf.tensor4d(x.values, xShape as [number, number, number, number]);
    const wt = tf.tensor4d(w.values, fShape as [number, number, number, number]);
    const y = tf.depthwiseConv2d(xt, wt, 1, 'same', 'NHWC', 2);
    const dy = tf.tensor(rand(y.shape, 15).values, y.shape);
    const attrs = { strides: 1, dilations: 2, pad: 'same' } as unknown as tf.NamedAttrMap;
    const dx = tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropInput, { dy, filter: wt }, { ...attrs, inputShape: xShape }) as tf.Tensor;
    const dw = tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropFilter, { x: xt, dy }, { ...attrs, filterShape: fShape }) as tf.Tensor;
    const lhs = (await tf.sum(tf.mul(dy, y)).data())[0] as number;
    const viaDx = (await tf.sum(tf.mul(xt, dx)).data())[0] as number;
    const viaDw = (await tf.sum(tf.mul(wt, dw)).data())[0] as number;
    expect(Math.abs(viaDx - lhs)).toBeLessThan(1e-4 * Math.max(1, Math.abs(lhs)));
    expect(Math.abs(viaDw - lhs)).toBeLessThan(1e-4 * Math.max(1, Math.abs(lhs)));
    tf.dispose([xt, wt, y, dy, dx, dw]);
  });
});
