import type * as tf from '@tensorflow/tfjs';
import type { TrainConfig } from '../../../shared/api/train.js';
import { buildCnn } from './cnn.js';
import { buildMlp } from './mlp.js';
import type { ModelOptions } from './model-options.js';
import { createOptimizer } from './optimizer.js';

export function modelOptions(config: TrainConfig, classes: number, seed: number): ModelOptions {
  return {
    kind: config.model,
    size: config.size,
    classes,
    filters: config.filters,
    units: config.units,
    dropout: config.dropout,
    batchNorm: config.batchNorm,
    l1: config.l1,
    l2: config.l2,
    seed,
  };
}

/** Builds and compiles the run's model: softmax outputs, categorical cross-entropy on (soft) labels. */
export function buildModel(config: TrainConfig, classes: number, seed: number): tf.Sequential {
  const opts = modelOptions(config, classes, seed);
  const model = opts.kind === 'cnn' ? buildCnn(opts) : buildMlp(opts);
  model.compile({
    optimizer: createOptimizer(config.optimizer, config.learningRate, config.momentum),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return model;
}
