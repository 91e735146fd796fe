import * as tf from '@tensorflow/tfjs';
import { ApiError } from '../../shared/api/errors.js';
import type { TrainConfig } from '../../shared/api/train.js';
import type { BackboneInfo, TransferConfig, TransferMode } from '../../shared/api/transfer.js';
import { kernelInitializer, kernelRegularizer, LayerSeeds } from '../train/models/layer-parts.js';
import { SeededDropout } from '../train/models/seeded-dropout.js';
import { loadModel } from '../train/models/model-files.js';
import { canWrap, wrapWithLora } from './lora.js';
import { checkTransferMode } from './mode-support.js';

/** A backbone cut at its embedding: image in [0, 1] → (preprocessing) → trunk → embedding vector. */
export interface Trunk {
  model: tf.LayersModel;
  input: tf.SymbolicTensor;
  embedding: tf.SymbolicTensor;
  /** The backbone's own layers in the trunk, in order (for freezing and unfreezing). */
  backboneLayers: tf.layers.Layer[];
  /** LoRA: the adapters put in place of backbone layers, and the layers they wrap. */
  adapters: { lora: tf.layers.Layer; wrapped: tf.layers.Layer }[];
}

export async function loadBackboneModel(info: BackboneInfo, mode: TransferMode = 'finetune'): Promise<tf.LayersModel> {
  checkTransferMode(info, mode);
  try {
    return await loadModel(info.path);
  } catch (err) {
    throw new ApiError('io_error', `Cannot load backbone "${info.name}" from ${info.path}: ${(err as Error).message}`);
  }
}

const single = (x: tf.SymbolicTensor | tf.SymbolicTensor[]): tf.SymbolicTensor => (Array.isArray(x) ? x[0]! : x);

function hasWeights(layer: tf.layers.Layer): boolean {
  return layer.getWeights().length > 0;
}

/**
 * A frozen batch-norm layer normalizes with its moving statistics also while the rest trains
 * (Keras' behaviour for trainable = false), so a few small batches cannot shift the backbone's features.
 */
function inferenceOnly(layer: tf.layers.Layer): void {
  const call = layer.call.bind(layer);
  layer.call = (inputs, kwargs) => call(inputs, { ...kwargs, training: false });
}

/** The last `count` layers LoRA can wrap, up to and including the feature layer. */
function loraTargets(layers: readonly tf.layers.Layer[], count: number): Set<tf.layers.Layer> {
  return new Set(layers.filter((l) => canWrap(l)).slice(-count));
}

/**
 * Rebuilds the backbone's graph from a fresh input up to its feature layer, layer by layer (so a
 * layer may be swapped for a LoRA wrapper), with the backbone's preprocessing in front and global
 * average pooling behind a spatial feature map. The backbone's own layers are reused, not copied.
 */
export function buildTrunk(base: tf.LayersModel, info: BackboneInfo, lora: { rank: number; alpha: number; layers: number; seed: number } | null): Trunk {
  const featureName = info.featureLayer ?? base.layers.at(-1)!.name;
  const order = base.layers.filter((l) => l.getClassName() !== 'InputLayer');
  const last = order.findIndex((l) => l.name === featureName);
  if (last < 0) throw new ApiError('io_error', `Backbone "${info.name}" has no layer "${featureName}" (its backbone.json and model.json disagree).`);
  const used = order.slice(0, last + 1);
  const inputShape = base.inputs[0]!.shape.slice(1) as number[];
  const size = info.inputSize;
  const shape = inputShape.map((d, i) => (d === null && size !== null && i < 2 ? size : d));
  const input = tf.input({ shape });
  let x: tf.SymbolicTensor = input;
  if (info.preprocessing === 'symmetric') x = single(tf.layers.rescaling({ scale: 2, offset: -1 }).apply(x) as tf.SymbolicTensor);
  const mapped = new Map<tf.SymbolicTensor, tf.SymbolicTensor>([[base.inputs[0]!, x]]);
  const targets = lora ? loraTargets(used, lora.layers) : new Set<tf.layers.Layer>();
  if (lora && targets.size === 0) throw new ApiError('unsupported', `Backbone "${info.name}" has no dense or convolution layer LoRA can adapt.`);
  const adapters: Trunk['adapters'] = [];
  const freezes: (() => void)[] = [];
  let k = 0;
  for (const layer of used) {
    const node = layer.inboundNodes[0];
    if (!node) throw new ApiError('io_error', `Backbone "${info.name}": layer "${layer.name}" is not connected.`);
    const ins = node.inputTensors.map((t) => {
      const m = mapped.get(t);
      if (!m) throw new ApiError('unsupported', `Backbone "${info.name}": layer "${layer.name}" takes an input the trunk does not have.`);
      return m;
    });
    let apply: tf.layers.Layer = layer;
    if (targets.has(layer)) {
      const w = wrapWithLora(layer, lora!.rank, lora!.alpha, lora!.seed + k++);
      apply = w.lora;
      adapters.push({ lora: w.lora, wrapped: layer });
      freezes.push(w.freeze);
    }
    const out = apply.apply(ins.length === 1 ? ins[0]! : ins) as tf.SymbolicTensor | tf.SymbolicTensor[];
    const outs = Array.isArray(out) ? out : [out];
    node.outputTensors.forEach((t, i) => mapped.set(t, outs[i]!));
  }
  for (const f of freezes) f();
  let embedding = mapped.get(used.at(-1)!.inboundNodes[0]!.outputTensors[0]!)!;
  if (embedding.rank === 4) embedding = single(tf.layers.globalAveragePooling2d({}).apply(embedding) as tf.SymbolicTensor);
  else if (embedding.rank !== 2) embedding = single(tf.layers.flatten().apply(embedding) as tf.SymbolicTensor);
  for (const l of used) {
    l.trainable = false;
    if (l.getClassName() === 'BatchNormalization') inferenceOnly(l);
  }
  const model = tf.model({ inputs: input, outputs: embedding });
  return { model, input, embedding, backboneLayers: used, adapters };
}

/** The new classifier: optional dropout, then softmax over the classes (seeded like the studio's models). */
export function headLayers(config: TrainConfig, classes: number, seed: number): tf.layers.Layer[] {
  const seeds = new LayerSeeds(seed);
  const regularizer = kernelRegularizer({ l1: config.l1, l2: config.l2 } as Parameters<typeof kernelRegularizer>[0]);
  const layers: tf.layers.Layer[] = [];
  if (config.dropout > 0) layers.push(new SeededDropout({ rate: config.dropout, seed: seeds.take(), name: 'head_dropout' }));
  layers.push(
    tf.layers.dense({
      units: classes,
      activation: 'softmax',
      kernelInitializer: kernelInitializer(seeds),
      name: 'head',
      ...(regularizer ? { kernelRegularizer: regularizer } : {}),
    }),
  );
  return layers;
}

export function applyLayers(layers: readonly tf.layers.Layer[], x: tf.SymbolicTensor): tf.SymbolicTensor {
  return layers.reduce((t, l) => single(l.apply(t) as tf.SymbolicTensor), x);
}

export function countTrainable(model: tf.LayersModel): number {
  return model.trainableWeights.reduce((s, w) => s + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
}

/** Fine-tuning's second phase: the top `n` weighted backbone layers (batch norm stays frozen, as in Keras' recipe). */
export function unfreezeTop(trunk: Trunk, n: number): number {
  const weighted = trunk.backboneLayers.filter((l) => hasWeights(l) && l.getClassName() !== 'BatchNormalization');
  const top = weighted.slice(-n);
  for (const l of top) l.trainable = true;
  return top.length;
}

export type { TransferConfig };
