import * as tf from '@tensorflow/tfjs';
import { BATCH_NORM_MOMENTUM, dropoutLayer, kernelInitializer, kernelRegularizer, LayerSeeds, softmaxHead } from './layer-parts.js';
import { batchNormalization } from '../backend/layers/fast-batch-normalization.js';
import type { ModelOptions } from './model-options.js';
import { checkCnnSize } from './model-shape.js';

/**
 * A small CNN: conv3x3 blocks with 2×2 max pooling between them, global average pooling, dropout
 * and a softmax layer. The default filters [16, 32, 64] give the reference CNN. With batch norm,
 * a conv drops its bias and is followed by batch normalization before the ReLU.
 */
export function buildCnn(opts: ModelOptions): tf.Sequential {
  checkCnnSize(opts.size, opts.filters.length);
  const pools = opts.filters.length - 1;
  const seeds = new LayerSeeds(opts.seed);
  const regularizer = kernelRegularizer(opts);
  const model = tf.sequential();
  opts.filters.forEach((filters, i) => {
    model.add(
      tf.layers.conv2d({
        ...(i === 0 ? { inputShape: [opts.size, opts.size, 3] } : {}),
        filters,
        kernelSize: 3,
        padding: 'same',
        useBias: !opts.batchNorm,
        activation: opts.batchNorm ? 'linear' : 'relu',
        kernelInitializer: kernelInitializer(seeds),
        ...(regularizer ? { kernelRegularizer: regularizer } : {}),
      }),
    );
    if (opts.batchNorm) {
      model.add(batchNormalization({ momentum: BATCH_NORM_MOMENTUM }));
      model.add(tf.layers.reLU());
    }
    if (i < pools) model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  });
  model.add(tf.layers.globalAveragePooling2d({}));
  if (opts.dropout > 0) model.add(dropoutLayer(opts.dropout, seeds));
  model.add(softmaxHead(opts, seeds));
  return model;
}
