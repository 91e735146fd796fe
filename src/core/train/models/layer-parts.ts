import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from '../seeded-random.js';
import type { ModelOptions } from './model-options.js';
import { SeededDropout } from './seeded-dropout.js';

/**
 * Moving-average momentum of batch norm. Keras' 0.99 needs hundreds of steps before its moving
 * statistics are usable at inference; a small dataset gives a few per epoch.
 */
export const BATCH_NORM_MOMENTUM = 0.9;

/** Hands out initializer and dropout seeds in layer order, so each layer gets its own. */
export class LayerSeeds {
  private next = 0;
  constructor(private readonly seed: number) {}
  take(): number {
    return deriveSeed(this.seed, 'layer', this.next++) + 1;
  }
}

type Regularizer = ReturnType<typeof tf.regularizers.l1l2>;
type Initializer = ReturnType<typeof tf.initializers.glorotUniform>;

export function kernelRegularizer(opts: ModelOptions): Regularizer | undefined {
  return opts.l1 > 0 || opts.l2 > 0 ? tf.regularizers.l1l2({ l1: opts.l1, l2: opts.l2 }) : undefined;
}

export function kernelInitializer(seeds: LayerSeeds): Initializer {
  return tf.initializers.glorotUniform({ seed: seeds.take() });
}

export function dropoutLayer(rate: number, seeds: LayerSeeds): tf.layers.Layer {
  return new SeededDropout({ rate, seed: seeds.take() });
}

/** The classifier head: softmax over the classes, regularized like the rest. */
export function softmaxHead(opts: ModelOptions, seeds: LayerSeeds): tf.layers.Layer {
  const regularizer = kernelRegularizer(opts);
  return tf.layers.dense({
    units: opts.classes,
    activation: 'softmax',
    kernelInitializer: kernelInitializer(seeds),
    ...(regularizer ? { kernelRegularizer: regularizer } : {}),
  });
}
