import * as tf from '@tensorflow/tfjs';
import type { Mat3 } from '../op.js';
import { multiply, translation } from '../pixels/matrix.js';
import { toByte } from './integer-math.js';
import { fillIndex, reflectPadding, type GeometryPass } from './geometry-plan.js';

/** tf.image.transform's flattened output → input map [a0 a1 a2 b0 b1 b2 c0 c1] (c2 fixed at 1). */
function flatten(m: Mat3): number[] {
  const s = m[8];
  if (Math.abs(s) < 1e-12) throw new RangeError('geometric transform sends the image to infinity');
  return [m[0] / s, m[1] / s, m[2] / s, m[3] / s, m[4] / s, m[5] / s, m[6] / s, m[7] / s];
}

/**
 * tf.image.transform with one matrix per image. tfjs-backend-cpu 4.22's Transform kernel returns
 * after the first image of a batch (the rest stay at the fill value), so there it runs image by image.
 */
function transformBatch(
  x: tf.Tensor4D,
  rows: readonly number[][],
  fillMode: 'nearest' | 'reflect' | 'constant',
  outputShape: [number, number],
): tf.Tensor4D {
  if (tf.getBackend() !== 'cpu' || rows.length === 1) {
    return tf.image.transform(x, tf.tensor2d(rows as number[][], [rows.length, 8]), 'bilinear', fillMode, 0, outputShape);
  }
  const parts = tf.split(x, rows.length, 0).map((xi, i) => tf.image.transform(xi as tf.Tensor4D, tf.tensor2d([rows[i]!], [1, 8]), 'bilinear', fillMode, 0, outputShape));
  return tf.concat(parts, 0);
}

/** A flip / quarter-turn pass as axis reversals and a transpose: exact and cheap (see permutationPattern). */
function permute(x: tf.Tensor4D, pattern: string): tf.Tensor4D {
  const [a, b, c, d] = pattern.split(',').map(Number) as [number, number, number, number];
  if (b === 0) {
    const axes = [...(d < 0 ? [1] : []), ...(a < 0 ? [2] : [])];
    return axes.length ? tf.reverse(x, axes) : tf.clone(x);
  }
  // out(x, y) = in(b·y + tx, c·x + ty): transpose rows and columns, then reverse what runs backwards.
  const t = tf.transpose(x, [0, 2, 1, 3]);
  const axes = [...(b < 0 ? [1] : []), ...(c < 0 ? [2] : [])];
  return axes.length ? tf.reverse(t, axes) : t;
}

/** The constant fills of a batch as a [B, H, W, 1] selector and [B, H, W, 3] colours, or null when nothing is filled. */
function fills(passes: readonly GeometryPass[]): { where: tf.Tensor4D; colour: tf.Tensor4D } | null {
  const first = passes[0]!;
  const n = first.outWidth * first.outHeight;
  const indices = passes.map(fillIndex);
  if (indices.every((i) => i === null)) return null;
  const sel = new Uint8Array(passes.length * n);
  const col = new Float32Array(passes.length * n * 3);
  indices.forEach((idx, b) => {
    if (!idx) return;
    const masks = passes[b]!.masks;
    for (let i = 0; i < n; i++) {
      const k = idx[i]!;
      if (k < 0) continue;
      const c = masks[k]!.colour;
      sel[b * n + i] = 1;
      col.set(c, (b * n + i) * 3);
    }
  });
  const shape: [number, number, number, number] = [passes.length, first.outHeight, first.outWidth, 1];
  return { where: tf.tensor4d(sel, shape, 'bool'), colour: tf.tensor4d(col, [shape[0], shape[1], shape[2], 3]) };
}

/**
 * Runs one pass for a batch whose images share the pass's signature (sizes, source read, masks),
 * each with its own matrix. Input and output hold whole numbers 0..255.
 */
export function runPass(x: tf.Tensor4D, passes: readonly GeometryPass[]): tf.Tensor4D {
  const first = passes[0]!;
  return tf.tidy(() => {
    if (first.exact !== null) return permute(x, first.exact);
    let src = x;
    let matrices = passes.map((p) => p.inverse);
    if (first.source === 'reflect') {
      const pads = passes.map(reflectPadding);
      const px = Math.max(...pads.map((p) => p.x));
      const py = Math.max(...pads.map((p) => p.y));
      if (px > 0 || py > 0) {
        src = tf.mirrorPad(x, [[0, 0], [py, py], [px, px], [0, 0]], 'reflect');
        matrices = matrices.map((m) => multiply(translation(px, py), m));
      }
    }
    const shape: [number, number] = [first.outHeight, first.outWidth];
    const rows = matrices.map(flatten);
    let out: tf.Tensor4D;
    if (first.source === 'constant') {
      // tf's fillValue is one number; a coverage channel (1 inside, 0 outside) lets each image fill with its own colour.
      const withCoverage = tf.concat([src, tf.ones([...src.shape.slice(0, 3), 1] as [number, number, number, number])], -1) as tf.Tensor4D;
      const warped = transformBatch(withCoverage, rows, 'constant', shape);
      const [rgb, coverage] = tf.split(warped, [3, 1], -1) as [tf.Tensor4D, tf.Tensor4D];
      const colour = tf.tensor4d(passes.flatMap((p) => [...p.sourceColour]), [passes.length, 1, 1, 3]);
      out = tf.add(rgb, tf.mul(tf.sub(1, coverage), colour));
    } else {
      // tf 'reflect' repeats the edge pixel (symmetric); it only matters past the mirror pad, i.e. for
      // reads more than one image width outside, where a single reflect-101 mirror no longer reaches.
      out = transformBatch(src, rows, first.source === 'reflect' ? 'reflect' : 'nearest', shape);
    }
    const f = fills(passes);
    if (f) out = tf.where(tf.broadcastTo(f.where, out.shape), f.colour, out);
    return toByte(out);
  });
}
