import * as tf from '@tensorflow/tfjs';
import type { OptimizerName } from '../../../shared/api/train.js';

export const DEFAULT_LEARNING_RATE: Record<OptimizerName, number> = { adam: 1e-3, rmsprop: 1e-3, sgd: 1e-2 };

export function createOptimizer(name: OptimizerName, learningRate: number | null, momentum: number): tf.Optimizer {
  const lr = learningRate ?? DEFAULT_LEARNING_RATE[name];
  switch (name) {
    case 'adam':
      return tf.train.adam(lr);
    case 'rmsprop':
      return tf.train.rmsprop(lr);
    case 'sgd':
      return momentum > 0 ? tf.train.momentum(lr, momentum) : tf.train.sgd(lr);
  }
}
