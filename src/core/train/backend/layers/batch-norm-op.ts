import * as tf from '@tensorflow/tfjs';
import { BatchNormTraining, BatchNormTrainingGrad } from '../kernels/batch-norm-training.js';

export interface BatchNormTrainingResult {
  /** Normalized, scaled and shifted input; differentiable with respect to x, scale and offset. */
  y: tf.Tensor;
  /** Batch statistics per channel, for the moving averages; kept, so the caller disposes them. */
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
}

/** True when the active backend has the fused training kernels (wasm, cpu; not tfjs-node). */
export function hasFusedBatchNorm(): boolean {
  const name = tf.getBackend();
  return tf.getKernel(BatchNormTraining, name) !== undefined && tf.getKernel(BatchNormTrainingGrad, name) !== undefined;
}

/**
 * Batch normalization in training mode over all axes but the last, with a fused gradient: one
 * forward kernel, one gradient kernel. Same values as tf.moments + tf.batchNorm (biased variance).
 */
export function batchNormTraining(x: tf.Tensor, scale: tf.Tensor1D, offset: tf.Tensor1D, varianceEpsilon: number): BatchNormTrainingResult {
  const stats: tf.Tensor1D[] = [];
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xi, si, oi, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const [y, mean, variance] = tf.engine().runKernel(BatchNormTraining, { x: xi, scale: si, offset: oi }, { varianceEpsilon }) as tf.Tensor[];
    if (!y || !mean || !variance) throw new Error(`${BatchNormTraining} returned fewer than three outputs.`);
    stats.push(tf.keep(mean) as tf.Tensor1D, tf.keep(variance) as tf.Tensor1D);
    save([xi, si, mean, variance]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, ss, sm, sv] = saved;
        const grads = tf.engine().runKernel(
          BatchNormTrainingGrad,
          { dy, x: sx as tf.Tensor, scale: ss as tf.Tensor, mean: sm as tf.Tensor, variance: sv as tf.Tensor },
          { varianceEpsilon },
        ) as tf.Tensor[];
        return grads;
      },
    };
  });
  const y = op(x, scale, offset);
  const [mean, variance] = stats;
  if (!mean || !variance) throw new Error('batchNormTraining: the forward pass did not run.');
  return { y, mean, variance };
}
