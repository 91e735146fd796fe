import * as tf from '@tensorflow/tfjs';
import type { EpochLog, TrainConfig } from '../../../shared/api/train.js';
import type { CallbackList, TrainControl } from '../callbacks/callback.js';
import type { AugmentHook } from '../data/augment-hook.js';
import { BatchStream, epochBatches } from '../data/batches.js';
import { mixBatch } from '../data/mix-batch.js';
import type { RunSample } from '../data/samples.js';
import { imageTensor, targetTensor } from '../data/tensors.js';
import { accuracyFromConfusion } from '../metrics/classification.js';
import { argmaxRows, confusionMatrix } from '../metrics/confusion.js';
import { crossEntropy } from '../metrics/evaluate.js';
import { deriveSeed, mulberry32 } from '../seeded-random.js';
import { predictProbabilities } from './predict.js';

export interface TrainLoopInput {
  model: tf.LayersModel;
  config: TrainConfig;
  classes: number;
  train: readonly RunSample[];
  val: readonly RunSample[];
  decoded: ReadonlyMap<number, Uint8Array>;
  augment: AugmentHook | null;
  dataSeed: number;
  callbacks: CallbackList;
  control: TrainControl;
  /** A resumed run starts after its checkpoint's epoch; every epoch's data order, mix and augmentation depend on the epoch alone. */
  startEpoch?: number;
}

function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** Validation loss (plain cross-entropy on hard labels) and accuracy of the current weights. */
export async function evaluateSet(model: tf.LayersModel, samples: readonly RunSample[], decoded: ReadonlyMap<number, Uint8Array>, size: number, classes: number) {
  const probs = await predictProbabilities(model, samples.map((s) => decoded.get(s.id)!), size);
  const truth = samples.map((s) => s.label);
  return { probs, loss: crossEntropy(probs, truth), acc: accuracyFromConfusion(confusionMatrix(truth, argmaxRows(probs), classes)) };
}

/**
 * The epoch loop: seeded shuffle, batches prepared one ahead (augmented through the hook),
 * label smoothing and MixUp/CutMix on the batch, one optimizer step per batch, then a clean
 * validation pass. Train loss and accuracy are the epoch's batch means, as Keras reports them.
 */
export async function trainLoop(input: TrainLoopInput): Promise<void> {
  const { model, config, classes, callbacks, control } = input;
  const batchesPerEpoch = Math.ceil(input.train.length / config.batchSize);
  const stream = new BatchStream(
    (epoch) => epochBatches(input.train, config.batchSize, input.dataSeed, epoch),
    config.epochs,
    input.decoded,
    input.augment,
    config.size,
  );
  await callbacks.onTrainBegin({ epochs: config.epochs, batchesPerEpoch, firstEpoch: input.startEpoch ?? 1 });
  for (let epoch = input.startEpoch ?? 1; epoch <= config.epochs && !control.stopReason; epoch++) {
    const started = performance.now();
    await callbacks.onEpochBegin(epoch);
    const batches = stream.batchesOf(epoch).length;
    const mixRandom = mulberry32(deriveSeed(input.dataSeed, 'mix', epoch));
    let seen = 0;
    let lossSum = 0;
    let accSum = 0;
    for (let b = 1; b <= batches; b++) {
      const batch = await stream.take(epoch, b - 1);
      const mixed = mixBatch(
        imageTensor(batch.pixels, config.size),
        targetTensor(batch.labels, classes, config.labelSmoothing),
        { mixup: config.mixup, cutmix: config.cutmix },
        mixRandom,
      );
      const result = await model.trainOnBatch(mixed.x, mixed.y);
      mixed.x.dispose();
      mixed.y.dispose();
      const [loss, acc] = Array.isArray(result) ? [result[0]!, result[1] ?? NaN] : [result, NaN];
      const n = batch.labels.length;
      seen += n;
      lossSum += loss * n;
      accSum += acc * n;
      await callbacks.onBatchEnd({ epoch, batch: b, batches, loss, acc, epochLoss: lossSum / seen, epochAcc: accSum / seen });
      if (control.stopReason) break;
    }
    const val = await evaluateSet(model, input.val, input.decoded, config.size, classes);
    const log: EpochLog = {
      epoch,
      loss: finite(lossSum / seen),
      acc: finite(accSum / seen),
      valLoss: val.loss,
      valAcc: val.acc,
      seconds: (performance.now() - started) / 1000,
    };
    await callbacks.onEpochEnd(log);
  }
  await callbacks.onTrainEnd();
}
