import path from 'node:path';
import type * as tfType from '@tensorflow/tfjs';
import { ApiError } from '../../shared/api/errors.js';
import type { TrainConfig } from '../../shared/api/train.js';
import type { BackboneInfo, TransferConfig } from '../../shared/api/transfer.js';
import { CallbackList } from '../train/callbacks/callback.js';
import { EarlyStopping } from '../train/callbacks/early-stopping.js';
import type { RunSample } from '../train/data/samples.js';
import { startAugment } from '../train/data/threaded-augment.js';
import { evaluateSet, trainLoop } from '../train/loop/train-loop.js';
import { createOptimizer, DEFAULT_LEARNING_RATE } from '../train/models/optimizer.js';
import { deriveSeed } from '../train/seeded-random.js';
import { finishRun, type RunSession, type TrainingOutcome } from '../train/worker/run-session.js';
import { augmentedEmbeddings, embeddingDir, plainEmbeddings, type Embedder } from './embeddings.js';
import { predictRows, trainHead, type EmbeddingSet } from './head-loop.js';
import { loadGraphEmbedder } from './graph-backbone.js';
import { phaseCallbacks } from './phase-callbacks.js';
import { applyLayers, buildTrunk, countTrainable, headLayers, loadBackboneModel, unfreezeTop } from './transfer-model.js';

/** Epochs of fine-tuning's head-only phase. */
export function headEpochsOf(t: TransferConfig, epochs: number): number {
  return Math.min(epochs, t.headEpochs ?? Math.max(1, Math.round(epochs / 3)));
}

function compile(model: tfType.LayersModel, config: TrainConfig, rateShare = 1): void {
  const rate = (config.learningRate ?? DEFAULT_LEARNING_RATE[config.optimizer]) * rateShare;
  model.compile({ optimizer: createOptimizer(config.optimizer, rate, config.momentum), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
}

/**
 * A transfer run inside the training worker: the backbone from the cache, then feature extraction
 * (embeddings once, head only), fine-tuning (head, then the top layers at a lower rate) or LoRA
 * (adapters + head). The saved model takes images in [0, 1] like every run's model.
 */
export async function runTransfer(session: RunSession): Promise<TrainingOutcome> {
  const { job, report, tf, phase, all, decoded, dataSeed, initSeed, control, callbacks } = session;
  const { config, sets, classes } = job;
  const transfer = config.transfer!;
  const info = job.backbone;
  if (!info) throw new ApiError('internal', 'A transfer run was started without its backbone.');
  const size = config.size;

  let model: tfType.LayersModel;
  let evaluate: (samples: readonly RunSample[]) => Promise<number[][]>;
  let trainableParams: number;
  let early: EarlyStopping | null = null;
  let headOnly = false;

  if (transfer.mode === 'features') {
    let embed: Embedder;
    let full: ((head: tfType.LayersModel) => tfType.LayersModel) | null = null;
    let release = () => {};
    if (info.format === 'graph-model') {
      const graph = await loadGraphEmbedder(tf, info);
      embed = graph.embed;
      release = graph.dispose;
    } else {
      const trunk = buildTrunk(await loadBackboneModel(info), info, null);
      embed = (x) => trunk.model.predict(x) as tfType.Tensor2D;
      full = (head) => tf.model({ inputs: trunk.input, outputs: applyLayers(head.layers.filter((l) => l.getClassName() !== 'InputLayer'), trunk.embedding) });
    }
    const cacheDir = embeddingDir(path.join(path.dirname(job.decodedDir), 'embeddings'), info, size);
    const embedOpts = { embed, size, decoded, cacheDir, onBatch: (d: number, t: number) => report.progress(phase('decoding', d, t)) };
    let plain: Map<number, Float32Array>;
    const train: EmbeddingSet = { rows: [], labels: [] };
    try {
      plain = await plainEmbeddings(all, embedOpts);
      train.rows.push(...sets.train.map((s) => plain.get(s.id)!));
      train.labels.push(...sets.train.map((s) => s.label));
      if (transfer.copies > 0 && config.pipeline && config.pipeline.ops.length > 0) {
        const augment = await startAugment(config.pipeline, dataSeed);
        try {
          const copies = await augmentedEmbeddings(sets.train, transfer.copies, augment.hook!, { ...embedOpts, cacheDir: null });
          for (const rows of copies) {
            train.rows.push(...rows);
            train.labels.push(...sets.train.map((s) => s.label));
          }
        } finally {
          await augment.close();
        }
      }
    } finally {
      // A graph model is only needed for the embeddings; the head trains on them alone.
      release();
    }
    const dim = train.rows[0]!.length;
    const head = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [dim] }), ...headLayers(config, classes.length, initSeed)] });
    compile(head, config);
    trainableParams = countTrainable(head);
    early = config.earlyStopping ? new EarlyStopping(config.earlyStopping, head, control) : null;
    if (early) callbacks.push(early);
    await trainHead({
      head,
      config,
      classes: classes.length,
      train,
      val: { rows: sets.val.map((s) => plain.get(s.id)!), labels: sets.val.map((s) => s.label) },
      dataSeed,
      callbacks: new CallbackList(callbacks),
      control,
    });
    evaluate = (samples) => predictRows(head, samples.map((s) => plain.get(s.id)!));
    if (full) model = full(head);
    else {
      model = head;
      headOnly = true;
    }
  } else {
    const base = await loadBackboneModel(info, transfer.mode);
    const lora = transfer.mode === 'lora' ? { rank: transfer.rank, alpha: transfer.alpha, layers: transfer.loraLayers, seed: deriveSeed(initSeed, 'lora') } : null;
    const trunk = buildTrunk(base, info, lora);
    model = tf.model({ inputs: trunk.input, outputs: applyLayers(headLayers(config, classes.length, initSeed), trunk.embedding) });
    early = config.earlyStopping ? new EarlyStopping(config.earlyStopping, model, control) : null;
    if (early) callbacks.push(early);
    const list = new CallbackList(callbacks);
    const augment = await startAugment(config.pipeline, dataSeed);
    const loop = (epochs: number, seed: number, calls: CallbackList, hook = augment.hook) =>
      trainLoop({ model, config: { ...config, epochs }, classes: classes.length, train: sets.train, val: sets.val, decoded, augment: hook, dataSeed: seed, callbacks: calls, control });
    try {
      if (transfer.mode === 'lora') {
        compile(model, config);
        trainableParams = countTrainable(model);
        await loop(config.epochs, dataSeed, list);
      } else {
        const headEpochs = headEpochsOf(transfer, config.epochs);
        compile(model, config);
        const headParams = countTrainable(model);
        const rest = config.epochs - headEpochs;
        if (headEpochs > 0) await loop(headEpochs, dataSeed, phaseCallbacks(list, { offset: 0, totalEpochs: config.epochs, first: true, last: rest === 0 }));
        trainableParams = headParams;
        if (rest > 0 && !control.stopReason) {
          unfreezeTop(trunk, transfer.unfreeze);
          compile(model, config, transfer.fineTuneRate);
          trainableParams = countTrainable(model);
          // The second phase draws its own shuffles and augmentations.
          const phase2Seed = deriveSeed(dataSeed, 'finetune');
          const augment2 = await startAugment(config.pipeline, phase2Seed);
          try {
            await loop(rest, phase2Seed, phaseCallbacks(list, { offset: headEpochs, totalEpochs: config.epochs, first: headEpochs === 0, last: true }), augment2.hook);
          } finally {
            await augment2.close();
          }
        } else if (rest > 0) {
          await list.onTrainEnd();
        }
      }
    } finally {
      await augment.close();
    }
    const m = model;
    evaluate = async (samples) => (await evaluateSet(m, samples, decoded, size, classes.length)).probs;
  }

  return finishRun(session, {
    model,
    predict: evaluate,
    trainableParams,
    early,
    labels: { transfer: { backbone: info.name, mode: transfer.mode, ...(headOnly ? { input: `embeddings of backbone "${info.name}"` } : {}) } },
  });
}

export type { BackboneInfo };
