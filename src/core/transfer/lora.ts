import * as tf from '@tensorflow/tfjs';

type Activation = 'linear' | 'relu' | 'relu6' | 'sigmoid' | 'tanh' | 'softmax' | 'elu' | 'selu' | 'swish';

function activate(x: tf.Tensor, name: string): tf.Tensor {
  switch (name as Activation) {
    case 'linear':
      return x;
    case 'relu':
      return tf.relu(x);
    case 'relu6':
      return tf.relu6(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'tanh':
      return tf.tanh(x);
    case 'softmax':
      return tf.softmax(x);
    case 'elu':
      return tf.elu(x);
    case 'selu':
      return tf.selu(x);
    case 'swish':
      return tf.mul(x, tf.sigmoid(x));
    default:
      throw new Error(`LoRA cannot wrap a layer with activation "${name}"`);
  }
}

export const LORA_ACTIVATIONS: readonly string[] = ['linear', 'relu', 'relu6', 'sigmoid', 'tanh', 'softmax', 'elu', 'selu', 'swish'];

interface LoraBaseArgs {
  rank: number;
  alpha: number;
  seed: number;
  useBias: boolean;
  activation: string;
  name?: string;
}

export interface LoraDenseArgs extends LoraBaseArgs {
  units: number;
}

export interface LoraConv2DArgs extends LoraBaseArgs {
  filters: number;
  kernelSize: [number, number];
  strides: [number, number];
  padding: 'same' | 'valid';
}

/**
 * A dense layer with a frozen kernel W (and bias) plus a trainable low-rank update:
 * y = act(x·W + b + (x·A)·B·(alpha / r)). B starts at zero, so the layer starts as the layer it wraps.
 */
export class LoraDense extends tf.layers.Layer {
  static readonly className = 'LoraDense';
  readonly args: LoraDenseArgs;
  kernel!: tf.LayerVariable;
  bias: tf.LayerVariable | null = null;
  loraA!: tf.LayerVariable;
  loraB!: tf.LayerVariable;

  constructor(args: LoraDenseArgs) {
    super(args.name ? { name: args.name } : {});
    this.args = args;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const inDim = shape[shape.length - 1]!;
    const { units, rank, seed } = this.args;
    this.loraA = this.addWeight('lora_A', [inDim, rank], 'float32', tf.initializers.heUniform({ seed }), undefined, true);
    this.loraB = this.addWeight('lora_B', [rank, units], 'float32', tf.initializers.zeros(), undefined, true);
    this.kernel = this.addWeight('kernel', [inDim, units], 'float32', tf.initializers.zeros(), undefined, false);
    if (this.args.useBias) this.bias = this.addWeight('bias', [units], 'float32', tf.initializers.zeros(), undefined, false);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [...shape.slice(0, -1), this.args.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor2D;
      const scale = this.args.alpha / this.args.rank;
      let y = tf.matMul(x, this.kernel.read() as tf.Tensor2D);
      if (this.bias) y = tf.add(y, this.bias.read());
      const update = tf.matMul(tf.matMul(x, this.loraA.read() as tf.Tensor2D), this.loraB.read() as tf.Tensor2D);
      return activate(tf.add(y, tf.mul(update, scale)), this.args.activation);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const { name: _name, ...rest } = this.args;
    return { ...super.getConfig(), ...rest };
  }
}

/**
 * A convolution with a frozen kernel W plus a trainable low-rank update: A is a kh×kw convolution
 * to r channels, B a 1×1 convolution back to the filters, scaled by alpha / r. On a 1×1
 * convolution this is exactly x·W + (x·A)·B·(alpha / r) at every pixel.
 */
export class LoraConv2D extends tf.layers.Layer {
  static readonly className = 'LoraConv2D';
  readonly args: LoraConv2DArgs;
  kernel!: tf.LayerVariable;
  bias: tf.LayerVariable | null = null;
  loraA!: tf.LayerVariable;
  loraB!: tf.LayerVariable;

  constructor(args: LoraConv2DArgs) {
    super(args.name ? { name: args.name } : {});
    this.args = args;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const cin = shape[shape.length - 1]!;
    const { filters, rank, seed, kernelSize } = this.args;
    const [kh, kw] = kernelSize;
    this.loraA = this.addWeight('lora_A', [kh, kw, cin, rank], 'float32', tf.initializers.heUniform({ seed }), undefined, true);
    this.loraB = this.addWeight('lora_B', [1, 1, rank, filters], 'float32', tf.initializers.zeros(), undefined, true);
    this.kernel = this.addWeight('kernel', [kh, kw, cin, filters], 'float32', tf.initializers.zeros(), undefined, false);
    if (this.args.useBias) this.bias = this.addWeight('bias', [filters], 'float32', tf.initializers.zeros(), undefined, false);
    this.built = true;
  }

  private outSide(side: number | null, k: number, s: number): number | null {
    if (side === null) return null;
    return this.args.padding === 'same' ? Math.ceil(side / s) : Math.floor((side - k) / s) + 1;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const [kh, kw] = this.args.kernelSize;
    const [sh, sw] = this.args.strides;
    return [shape[0] ?? null, this.outSide(shape[1] ?? null, kh, sh), this.outSide(shape[2] ?? null, kw, sw), this.args.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D;
      const { strides, padding } = this.args;
      const scale = this.args.alpha / this.args.rank;
      let y = tf.conv2d(x, this.kernel.read() as tf.Tensor4D, strides, padding);
      if (this.bias) y = tf.add(y, this.bias.read());
      const low = tf.conv2d(x, this.loraA.read() as tf.Tensor4D, strides, padding);
      const update = tf.conv2d(low, this.loraB.read() as tf.Tensor4D, 1, 'valid');
      return activate(tf.add(y, tf.mul(update, scale)), this.args.activation);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const { name: _name, ...rest } = this.args;
    return { ...super.getConfig(), ...rest };
  }
}

tf.serialization.registerClass(LoraDense);
tf.serialization.registerClass(LoraConv2D);

type Wrappable = { getClassName(): string; getConfig(): tf.serialization.ConfigDict; getWeights(): tf.Tensor[]; name: string };

function pair(v: unknown): [number, number] {
  return Array.isArray(v) ? [Number(v[0]), Number(v[1] ?? v[0])] : [Number(v), Number(v)];
}

/** Whether LoRA can wrap this layer: a dense layer, or a plain (undilated, ungrouped) 2-D convolution with a known activation. */
export function canWrap(layer: Wrappable): boolean {
  const cls = layer.getClassName();
  const c = layer.getConfig();
  if (!LORA_ACTIVATIONS.includes(String(c.activation ?? 'linear'))) return false;
  if (cls === 'Dense') return true;
  if (cls !== 'Conv2D') return false;
  const dil = pair(c.dilationRate ?? 1);
  return dil[0] === 1 && dil[1] === 1 && (c.dataFormat ?? 'channelsLast') === 'channelsLast';
}

/** A LoRA layer in place of `layer`, not yet built; `freeze` copies the wrapped weights in once it is. */
export function wrapWithLora(layer: Wrappable, rank: number, alpha: number, seed: number): { lora: LoraDense | LoraConv2D; freeze: () => void } {
  const c = layer.getConfig();
  const base = { rank, alpha, seed, useBias: Boolean(c.useBias), activation: String(c.activation ?? 'linear'), name: `${layer.name}_lora` };
  const lora =
    layer.getClassName() === 'Dense'
      ? new LoraDense({ ...base, units: Number(c.units) })
      : new LoraConv2D({
          ...base,
          filters: Number(c.filters),
          kernelSize: pair(c.kernelSize),
          strides: pair(c.strides ?? 1),
          padding: c.padding === 'same' ? 'same' : 'valid',
        });
  const freeze = () => {
    const [kernel, bias] = layer.getWeights();
    lora.kernel.write(kernel!.clone());
    if (lora.bias && bias) lora.bias.write(bias.clone());
  };
  return { lora, freeze };
}
