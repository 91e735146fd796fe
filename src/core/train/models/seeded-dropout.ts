import * as tf from '@tensorflow/tfjs';

export interface SeededDropoutArgs {
  rate: number;
  seed: number;
  name?: string;
}

/**
 * Dropout whose masks are reproducible yet differ from step to step. tf.layers.dropout with a
 * seed re-seeds its generator on every call and so drops the same units at every step; this layer
 * derives a fresh seed per training call from its own seed and a call counter.
 */
export class SeededDropout extends tf.layers.Layer {
  static readonly className = 'SeededDropout';
  readonly rate: number;
  readonly seed: number;
  private calls = 0;

  constructor(args: SeededDropoutArgs) {
    super(args.name ? { name: args.name } : {});
    this.rate = args.rate;
    this.seed = args.seed;
    this.supportsMasking = true;
  }

  /** Training calls made so far: the position in the mask stream, kept in a run's checkpoint. */
  get step(): number {
    return this.calls;
  }
  set step(value: number) {
    this.calls = value;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const input = Array.isArray(inputs) ? inputs[0]! : inputs;
    if (!kwargs.training || this.rate <= 0) return input.clone();
    const step = this.calls++;
    // tfjs treats seed 0 as "unseeded"; keep it positive and distinct per step.
    const seed = ((this.seed + Math.imul(step + 1, 0x9e3779b1)) >>> 1) + 1;
    return tf.dropout(input, this.rate, undefined, seed);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}
tf.serialization.registerClass(SeededDropout);
