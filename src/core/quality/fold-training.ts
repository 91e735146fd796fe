import type { TrainConfig } from '../../shared/api/train.js';
import { initBackend } from '../train/backend/init-backend.js';
import { CallbackList, TrainControl } from '../train/callbacks/callback.js';
import { EarlyStopping } from '../train/callbacks/early-stopping.js';
import { decodeAll } from '../train/data/decode-cache.js';
import type { RunSample } from '../train/data/samples.js';
import { trainLoop } from '../train/loop/train-loop.js';
import { predictProbabilities } from '../train/loop/predict.js';
import { buildModel } from '../train/models/build-model.js';
import { deriveSeed } from '../train/seeded-random.js';

/** Everything k-fold training needs, sent to the training process (it never opens the database). */
export interface FoldTrainingTask {
  samples: RunSample[];
  /** Fold index of each sample. */
  fold: number[];
  folds: number;
  classes: number;
  /** The fold models' settings; `epochs` is the most a fold trains. */
  config: TrainConfig;
  /** Early stopping on an inner validation slice of each fold's training images (0 = off). */
  patience: number;
  seed: number;
  decodedDir: string;
}

export interface FoldTrainingResult {
  /** Out-of-sample class probabilities, one row per sample in the task's order. */
  probs: number[][];
  /** Share of samples whose out-of-sample argmax matches their given label. */
  accuracy: number;
  /** Epochs whose weights each fold's model kept. */
  epochs: number[];
}

export type FoldProgress = (p: { phase: string; done: number; total: number }) => void;

/** Every INNER_EVERY-th image of each class (in a seeded order) validates a fold's training for early stopping. */
const INNER_EVERY = 8;
/** Fewer inner validation images than this and a fold does not stop early. */
const MIN_STOP_IMAGES = 12;

/** Splits a fold's training images into what it trains on and a stratified slice that decides when to stop. */
export function innerSplit(train: readonly RunSample[], seed: number): { fit: RunSample[]; stop: RunSample[] } {
  const byClass = new Map<number, RunSample[]>();
  for (const s of train) byClass.set(s.label, [...(byClass.get(s.label) ?? []), s]);
  const fit: RunSample[] = [];
  const stop: RunSample[] = [];
  for (const list of byClass.values()) {
    list.sort((a, b) => deriveSeed(seed, 'inner', a.id) - deriveSeed(seed, 'inner', b.id) || a.id - b.id);
    // A class too small to spare an image trains on all of them.
    list.forEach((s, k) => (list.length >= 4 && k % INNER_EVERY === INNER_EVERY - 1 ? stop : fit).push(s));
  }
  return { fit, stop };
}

/**
 * Trains one model per fold on the other folds (the training engine's model and loop) and predicts
 * its own fold. Runs in the training process; cancelling is the parent killing it.
 */
export async function trainFolds(task: FoldTrainingTask, progress: FoldProgress): Promise<FoldTrainingResult> {
  const { samples, fold, folds, config } = task;
  await initBackend(config.backend ? { prefer: config.backend } : {});
  const maxEpochs = config.epochs;
  const total = folds * maxEpochs;
  progress({ phase: 'decoding', done: 0, total: samples.length });
  const decoded = await decodeAll(samples, config.size, task.decodedDir, (done, n) => progress({ phase: 'decoding', done, total: n }));

  const probs: number[][] = new Array(samples.length);
  const epochs: number[] = [];
  for (let f = 0; f < folds; f++) {
    const held = samples.filter((_, i) => fold[i] === f);
    const train = samples.filter((_, i) => fold[i] !== f);
    const inner = task.patience > 0 ? innerSplit(train, deriveSeed(task.seed, 'inner', f)) : null;
    // Stopping on a handful of images is noise: a tiny dataset trains every fold for all its epochs on everything.
    const { fit, stop } = inner && inner.stop.length >= MIN_STOP_IMAGES ? inner : { fit: train, stop: [] };
    const model = buildModel(config, task.classes, deriveSeed(task.seed, 'init', f));
    try {
      const control = new TrainControl();
      const early = stop.length ? new EarlyStopping({ monitor: 'valLoss', patience: task.patience, minDelta: 0, restoreBestWeights: true }, model, control) : null;
      let last = 0;
      const callbacks = new CallbackList([
        {
          onEpochEnd: (log) => {
            last = log.epoch;
            progress({ phase: `fold ${f + 1} of ${folds}`, done: f * maxEpochs + log.epoch, total });
          },
        },
        ...(early ? [early] : []),
      ]);
      await trainLoop({ model, config, classes: task.classes, train: fit, val: stop, decoded, augment: null, dataSeed: deriveSeed(task.seed, 'data', f), callbacks, control });
      epochs.push(early ? early.keptEpoch : last);
      const rows = await predictProbabilities(model, held.map((s) => decoded.get(s.id)!), config.size);
      let k = 0;
      fold.forEach((fi, i) => {
        if (fi === f) probs[i] = rows[k++]!;
      });
    } finally {
      model.dispose();
    }
    progress({ phase: `fold ${f + 1} of ${folds}`, done: (f + 1) * maxEpochs, total });
  }
  const right = probs.filter((p, i) => p.indexOf(Math.max(...p)) === samples[i]!.label).length;
  return { probs, accuracy: samples.length ? right / samples.length : 0, epochs };
}
