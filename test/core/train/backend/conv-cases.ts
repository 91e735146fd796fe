import * as tf from '@tensorflow/tfjs';

export type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

export interface ConvCase {
  name: string;
  x: number[];
  k: number;
  co: number;
  stride: number;
  pad: Pad;
}

/** Strides 1 and 2; same, valid and explicit padding; 1×1 to 5×5 filters; odd sizes. */
export const convCases: ConvCase[] = [
  { name: '3x3 same stride 1', x: [2, 9, 11, 3], k: 3, co: 4, stride: 1, pad: 'same' },
  { name: '3x3 valid stride 1', x: [2, 8, 7, 5], k: 3, co: 6, stride: 1, pad: 'valid' },
  { name: '1x1 valid stride 1', x: [3, 5, 6, 4], k: 1, co: 7, stride: 1, pad: 'valid' },
  { name: '1x1 same stride 2', x: [2, 7, 5, 3], k: 1, co: 2, stride: 2, pad: 'same' },
  { name: '5x5 same stride 1', x: [2, 8, 9, 2], k: 5, co: 3, stride: 1, pad: 'same' },
  { name: '5x5 same stride 2, odd size', x: [2, 13, 11, 3], k: 5, co: 8, stride: 2, pad: 'same' },
  { name: '3x3 valid stride 2, odd size', x: [1, 9, 9, 2], k: 3, co: 3, stride: 2, pad: 'valid' },
  { name: '3x3 valid stride 2, rows dropped by the floor', x: [2, 10, 8, 3], k: 3, co: 4, stride: 2, pad: 'valid' },
  { name: '2x2 same stride 2', x: [2, 7, 6, 4], k: 2, co: 5, stride: 2, pad: 'same' },
  { name: '4x4 explicit padding stride 1', x: [2, 6, 8, 3], k: 4, co: 2, stride: 1, pad: [[0, 0], [2, 1], [0, 3], [0, 0]] },
  { name: '3x3 explicit padding stride 2', x: [2, 10, 9, 3], k: 3, co: 4, stride: 2, pad: [[0, 0], [1, 2], [2, 0], [0, 0]] },
  { name: '2x2 padding wider than the filter', x: [1, 5, 6, 2], k: 2, co: 3, stride: 1, pad: [[0, 0], [3, 0], [0, 2], [0, 0]] },
];

export function convOutShape(c: ConvCase, depthwise = false): number[] {
  const ci = c.x[3] as number;
  const info = tf.backend_util.computeConv2DInfo(
    c.x as [number, number, number, number],
    [c.k, c.k, ci, depthwise ? c.co : c.co],
    c.stride,
    1,
    c.pad,
    undefined,
    depthwise,
  );
  return info.outShape;
}
