import * as tf from '@tensorflow/tfjs';
import type { EpochLog, TrainConfig } from '../../shared/api/train.js';
import type { CallbackList, TrainControl } from '../train/callbacks/callback.js';
import { targetTensor } from '../train/data/tensors.js';
import { accuracyFromConfusion } from '../train/metrics/classification.js';
import { argmaxRows, confusionMatrix } from '../train/metrics/confusion.js';
import { crossEntropy } from '../train/metrics/evaluate.js';
import { deriveSeed, mulberry32, shuffleInPlace } from '../train/seeded-random.js';

export interface EmbeddingSet {
  rows: Float32Array[];
  labels: number[];
}

function matrix(rows: readonly Float32Array[]): tf.Tensor2D {
  const d = rows[0]?.length ?? 0;
  const out = new Float32Array(rows.length * d);
  rows.forEach((r, i) => out.set(r, i * d));
  return tf.tensor2d(out, [rows.length, d]);
}

/** Class probabilities of embedding rows (inference mode). */
export async function predictRows(head: tf.LayersModel, rows: readonly Float32Array[], batchSize = 256): Promise<number[][]> {
  const out: number[][] = [];
  for (let i = 0; i < rows.length; i += batchSize) {
    const x = matrix(rows.slice(i, i + batchSize));
    const y = head.predict(x) as tf.Tensor2D;
    out.push(...((await y.array()) as number[][]));
    x.dispose();
    y.dispose();
  }
  return out;
}

/**
 * Trains the head on embeddings computed once: a seeded shuffle per epoch over every row (plain
 * and augmented copies), label smoothing as configured, a validation pass per epoch. Fast, since
 * the backbone never runs here.
 */
export async function trainHead(input: {
  head: tf.LayersModel;
  config: TrainConfig;
  classes: number;
  train: EmbeddingSet;
  val: EmbeddingSet;
  dataSeed: number;
  callbacks: CallbackList;
  control: TrainControl;
}): Promise<void> {
  const { head, config, classes, train, val, callbacks, control } = input;
  const batchesPerEpoch = Math.ceil(train.rows.length / config.batchSize);
  await callbacks.onTrainBegin({ epochs: config.epochs, batchesPerEpoch });
  for (let epoch = 1; epoch <= config.epochs && !control.stopReason; epoch++) {
    const started = performance.now();
    await callbacks.onEpochBegin(epoch);
    const order = shuffleInPlace(
      train.rows.map((_, i) => i),
      mulberry32(deriveSeed(input.dataSeed, 'shuffle', epoch)),
    );
    let seen = 0;
    let lossSum = 0;
    let accSum = 0;
    for (let b = 0; b < batchesPerEpoch; b++) {
      const idx = order.slice(b * config.batchSize, (b + 1) * config.batchSize);
      const x = matrix(idx.map((i) => train.rows[i]!));
      const y = targetTensor(
        idx.map((i) => train.labels[i]!),
        classes,
        config.labelSmoothing,
      );
      const result = await head.trainOnBatch(x, y);
      x.dispose();
      y.dispose();
      const [loss, acc] = Array.isArray(result) ? [result[0]!, result[1] ?? NaN] : [result, NaN];
      seen += idx.length;
      lossSum += loss * idx.length;
      accSum += acc * idx.length;
      await callbacks.onBatchEnd({ epoch, batch: b + 1, batches: batchesPerEpoch, loss, acc, epochLoss: lossSum / seen, epochAcc: accSum / seen });
      if (control.stopReason) break;
    }
    const probs = await predictRows(head, val.rows);
    const log: EpochLog = {
      epoch,
      loss: Number.isFinite(lossSum / seen) ? lossSum / seen : null,
      acc: Number.isFinite(accSum / seen) ? accSum / seen : null,
      valLoss: crossEntropy(probs, val.labels),
      valAcc: accuracyFromConfusion(confusionMatrix(val.labels, argmaxRows(probs), classes)),
      seconds: (performance.now() - started) / 1000,
    };
    await callbacks.onEpochEnd(log);
  }
  await callbacks.onTrainEnd();
}
