import * as tf from '@tensorflow/tfjs';
import { BATCH_NORM_MOMENTUM, dropoutLayer, kernelInitializer, kernelRegularizer, LayerSeeds, softmaxHead } from './layer-parts.js';
import { batchNormalization } from '../backend/layers/fast-batch-normalization.js';
import type { ModelOptions } from './model-options.js';

/** The baseline: flattened pixels through dense ReLU layers (batch norm and dropout after each). */
export function buildMlp(opts: ModelOptions): tf.Sequential {
  const seeds = new LayerSeeds(opts.seed);
  const regularizer = kernelRegularizer(opts);
  const model = tf.sequential();
  model.add(tf.layers.flatten({ inputShape: [opts.size, opts.size, 3] }));
  for (const units of opts.units) {
    model.add(
      tf.layers.dense({
        units,
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
    if (opts.dropout > 0) model.add(dropoutLayer(opts.dropout, seeds));
  }
  model.add(softmaxHead(opts, seeds));
  return model;
}
