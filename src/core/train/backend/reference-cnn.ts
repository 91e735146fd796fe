import type { Tf } from './init-backend.js';
import { batchNormalization } from './layers/fast-batch-normalization.js';

export interface ReferenceCnnOptions {
  size: number;
  classes?: number;
  batchNorm?: boolean;
  /** Dropout rate before the dense layer (0.3 in the reference). */
  dropout?: number;
  /** Use tfjs's own batch-norm layer instead of the fused one (for comparisons). */
  stockBatchNorm?: boolean;
}

/**
 * The peers' reference CNN (../shared/peers/train_bench.py): conv3x3 16 → pool → conv 32 → pool →
 * conv 64 → global average pool → dropout 0.3 → dense. With batch norm, each conv drops its bias and
 * is followed by batch normalization before the ReLU.
 */
export function buildReferenceCnn(tf: Tf, { size, classes = 5, batchNorm = false, dropout = 0.3, stockBatchNorm = false }: ReferenceCnnOptions) {
  const model = tf.sequential();
  const filters = [16, 32, 64];
  filters.forEach((f, i) => {
    model.add(
      tf.layers.conv2d({
        ...(i === 0 ? { inputShape: [size, size, 3] } : {}),
        filters: f,
        kernelSize: 3,
        padding: 'same',
        useBias: !batchNorm,
        activation: batchNorm ? 'linear' : 'relu',
      }),
    );
    if (batchNorm) {
      model.add(stockBatchNorm ? tf.layers.batchNormalization({}) : batchNormalization({}));
      model.add(tf.layers.reLU());
    }
    if (i < filters.length - 1) model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  });
  model.add(tf.layers.globalAveragePooling2d({}));
  if (dropout > 0) model.add(tf.layers.dropout({ rate: dropout }));
  model.add(tf.layers.dense({ units: classes, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  return model;
}
