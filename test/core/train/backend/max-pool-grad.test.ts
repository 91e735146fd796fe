import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { rand, reference, relativeError, runOn } from './kernel-check.js';

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

function poolCase(x: number[], filterSize: number, stride: number, pad: Pad, values: (v: Float32Array) => Float32Array) {
  const info = tf.backend_util.computePool2DInfo(x as [number, number, number, number], filterSize, stride, 1, pad);
  const input = rand(x, 5);
  input.values = values(input.values);
  return { input, dy: rand(info.outShape, 6), attrs: { filterSize, strides: stride, pad } as unknown as tf.NamedAttrMap };
}

const same = (v: Float32Array) => v;
const negative = (v: Float32Array) => v.map((e) => -Math.abs(e) - 0.01);
const coarse = (v: Float32Array) => v.map((e) => Math.round(e * 2) / 2); // many ties within a window
const zeros = (v: Float32Array) => v.map(() => 0);

const cases = [
  { name: '2x2 stride 2 valid', x: [2, 8, 8, 3], f: 2, s: 2, pad: 'valid' as Pad, values: same },
  { name: '2x2 stride 2, all windows negative', x: [2, 6, 6, 4], f: 2, s: 2, pad: 'valid' as Pad, values: negative },
  { name: '3x3 stride 1 same, all windows negative', x: [1, 5, 7, 2], f: 3, s: 1, pad: 'same' as Pad, values: negative },
  { name: '3x3 stride 2 same, odd size', x: [2, 9, 7, 3], f: 3, s: 2, pad: 'same' as Pad, values: same },
  { name: '2x2 stride 2 valid, odd size', x: [1, 7, 9, 5], f: 2, s: 2, pad: 'valid' as Pad, values: same },
  { name: 'ties go to the first maximum', x: [2, 6, 6, 3], f: 2, s: 2, pad: 'valid' as Pad, values: coarse },
  { name: 'all-zero input', x: [1, 4, 4, 2], f: 2, s: 2, pad: 'valid' as Pad, values: zeros },
  { name: '3x3 stride 2 explicit padding', x: [1, 8, 8, 2], f: 3, s: 2, pad: [[0, 0], [1, 1], [0, 2], [0, 0]] as Pad, values: negative },
];

describe.each(['wasm', 'cpu'] as const)('MaxPoolGrad on %s', (backend) => {
  it.each(cases)('matches the stock cpu kernel: $name', async ({ x, f, s, pad, values }) => {
    const { input, dy, attrs } = poolCase(x, f, s, pad, values);
    const inputs = { dy, input, output: input }; // `output` is unused by both implementations
    const expected = await reference(tf.MaxPoolGrad, inputs, attrs);
    const actual = await runOn(backend, tf.MaxPoolGrad, inputs, attrs);
    expect(actual.shape).toEqual(x);
    expect(relativeError(actual.values, expected.values)).toBeLessThan(1e-6);
  });
});

describe('MaxPoolGrad through tf.grad on wasm', () => {
  it('sends the gradient of an all-negative window to its maximum', async () => {
    await runOn('wasm', tf.Identity, { x: rand([1], 0) }, {}); // activates wasm
    const x = tf.tensor4d([-3, -1, -2, -4], [1, 2, 2, 1]);
    const dx = tf.grad((t: tf.Tensor) => tf.maxPool(t as tf.Tensor4D, 2, 2, 'valid').sum())(x);
    expect(Array.from(await dx.data())).toEqual([0, 1, 0, 0]);
    tf.dispose([x, dx]);
  });
});
