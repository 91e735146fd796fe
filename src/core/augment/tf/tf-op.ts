import type * as tf from '@tensorflow/tfjs';

/**
 * The TensorFlow.js side of one non-geometric pixel op: applies concrete parameters (already
 * sampled, one set per image) to a batch [B, H, W, 3] of whole numbers 0..255 and returns the same
 * shape. Geometric ops need no entry: their `geometry()` stages run through tf.image.transform.
 */
export interface TfPixelOp {
  readonly id: string;
  /** 'tf' runs on the active tfjs backend; 'sharp' round-trips through the sharp side (no tfjs equivalent). */
  readonly engine: 'tf' | 'sharp';
  run(x: tf.Tensor4D, params: readonly Record<string, unknown>[]): tf.Tensor | Promise<tf.Tensor>;
}

/** Keeps each op's concrete parameter type while the table holds them all. */
export function tfOp<C extends object>(def: {
  id: string;
  engine?: 'tf' | 'sharp';
  run(x: tf.Tensor4D, params: readonly C[]): tf.Tensor | Promise<tf.Tensor>;
}): TfPixelOp {
  return { id: def.id, engine: def.engine ?? 'tf', run: (x, params) => def.run(x, params as unknown as readonly C[]) };
}
