import * as tf from '@tensorflow/tfjs';
import { input, kernelConfig, type KernelHost } from './kernel-host.js';

/**
 * Tile by block copies: each input row is written once, then every dimension's filled block is
 * replicated with doubling copyWithin calls (memmove), instead of an index computation per element.
 */
export function tile(host: KernelHost, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap): tf.TensorInfo {
  const name = tf.Tile;
  const x = input(inputs, 'x', name);
  const { reps } = attrs as unknown as tf.TileAttrs;
  if (x.dtype === 'string') return host.runStock(name, inputs, attrs);
  const rank = x.shape.length;
  if (reps.length !== rank) throw new Error(`${name}: reps has ${reps.length} entries for a rank-${rank} tensor.`);
  const outShape = x.shape.map((d, i) => d * (reps[i] as number));
  const out = host.alloc(outShape, x.dtype);
  if (tf.util.sizeFromShape(outShape) === 0) return out;
  const src = host.view(x);
  const dst = host.view(out);
  if (rank === 0) {
    dst[0] = src[0] as number;
    return out;
  }
  // outBlock[d] = elements of the output below dimension d; inBlock[d] likewise for the input.
  const outBlock = new Array<number>(rank + 1).fill(1);
  const inBlock = new Array<number>(rank + 1).fill(1);
  for (let d = rank - 1; d >= 0; d--) {
    outBlock[d] = (outBlock[d + 1] as number) * (outShape[d] as number);
    inBlock[d] = (inBlock[d + 1] as number) * (x.shape[d] as number);
  }
  const replicate = (start: number, len: number, times: number) => {
    let filled = len;
    const total = len * times;
    while (filled < total) {
      const n = Math.min(filled, total - filled);
      dst.copyWithin(start + filled, start, start + n);
      filled += n;
    }
  };
  const fill = (d: number, inOff: number, outOff: number) => {
    const dim = x.shape[d] as number;
    if (d === rank - 1) {
      dst.set(src.subarray(inOff, inOff + dim), outOff);
    } else {
      for (let i = 0; i < dim; i++) fill(d + 1, inOff + i * (inBlock[d + 1] as number), outOff + i * (outBlock[d + 1] as number));
    }
    replicate(outOff, dim * (outBlock[d + 1] as number), reps[d] as number);
  };
  fill(0, 0, 0);
  return out;
}

export const tileKernel = (backend: 'wasm' | 'cpu') => kernelConfig(tf.Tile, backend, tile);
