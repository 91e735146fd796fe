import * as tf from '@tensorflow/tfjs';
import { batchNormTraining, hasFusedBatchNorm } from './batch-norm-op.js';

type BatchNormArgs = NonNullable<Parameters<typeof tf.layers.batchNormalization>[0]>;
type BatchNormLayer = ReturnType<typeof tf.layers.batchNormalization>;
type Kwargs = Parameters<BatchNormLayer['call']>[1];

/** tfjs-layers does not export the class itself; its factory's product carries the constructor. */
const BatchNormalizationBase = tf.layers.batchNormalization({}).constructor as new (args?: BatchNormArgs) => BatchNormLayer;

interface LayerVariableLike {
  read(): tf.Tensor;
  write(value: tf.Tensor): void;
}

/** The base class's private state, which the training path below reads exactly as the base does. */
interface BatchNormInternals {
  axis: number;
  momentum: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
  gamma: LayerVariableLike | null;
  beta: LayerVariableLike | null;
  movingMean: LayerVariableLike;
  movingVariance: LayerVariableLike;
}

/**
 * tf.layers.batchNormalization whose training step uses one fused forward and one fused gradient
 * kernel instead of tfjs's composite of moments, batchNorm, Tile and dozens of element-wise ops.
 * Inference, saving and loading are the stock layer's: it serializes as "BatchNormalization", so a
 * saved model loads anywhere as the standard layer. Falls back to the stock path where the fused
 * kernels are not registered (tfjs-node) or the normalized axis is not the last.
 */
export class FastBatchNormalization extends BatchNormalizationBase {
  static className = 'BatchNormalization';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const input = Array.isArray(inputs) ? inputs[0] : inputs;
    const s = this as unknown as BatchNormInternals;
    const rank = input?.shape.length ?? 0;
    const axis = s.axis >= 0 ? s.axis : s.axis + rank;
    if (!input || kwargs['training'] !== true || axis !== rank - 1 || !s.gamma || !s.beta || !hasFusedBatchNorm()) {
      return super.call(inputs, kwargs);
    }
    const gamma = s.gamma;
    const beta = s.beta;
    return tf.tidy(() => {
      const { y, mean, variance } = batchNormTraining(input, gamma.read() as tf.Tensor1D, beta.read() as tf.Tensor1D, s.epsilon);
      // The same moving-average update as the stock layer: v ← v − (v − batch) · (1 − momentum).
      for (const [variable, value] of [
        [s.movingMean, mean],
        [s.movingVariance, variance],
      ] as const) {
        tf.tidy(() => {
          const orig = variable.read();
          variable.write(tf.sub(orig, tf.mul(tf.sub(orig, value), 1 - s.momentum)));
        });
      }
      mean.dispose();
      variance.dispose();
      return y;
    });
  }
}

/** Drop-in for tf.layers.batchNormalization with a fused training gradient on wasm and cpu. */
export function batchNormalization(args: BatchNormArgs = {}): BatchNormLayer {
  return new FastBatchNormalization(args);
}
