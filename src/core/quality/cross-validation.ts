import path from 'node:path';
import { ApiError } from '../../shared/api/errors.js';
import { trainConfig, type ModelKind } from '../../shared/api/train.js';
import type { Db } from '../db/open-db.js';
import type { Job } from '../jobs/job-registry.js';
import { initBackend } from '../train/backend/init-backend.js';
import { CallbackList, TrainControl } from '../train/callbacks/callback.js';
import { decodeAll, fallbackKey } from '../train/data/decode-cache.js';
import type { RunSample } from '../train/data/samples.js';
import { trainLoop } from '../train/loop/train-loop.js';
import { predictProbabilities } from '../train/loop/predict.js';
import { buildModel } from '../train/models/build-model.js';
import { deriveSeed } from '../train/seeded-random.js';

export interface CrossValidationOptions {
  folds: number;
  epochs: number;
  size: number;
  model: ModelKind;
  seed: number;
}

/** Small and fast: a few minutes for a few hundred images, enough to rank labels, not to ship. */
export const DEFAULT_CROSS_VALIDATION: CrossValidationOptions = { folds: 4, epochs: 8, size: 32, model: 'cnn', seed: 0 };

export interface LabeledImage {
  id: number;
  relPath: string;
  classId: number;
  className: string;
}

export interface OutOfSample {
  images: LabeledImage[];
  /** Class ids in the order of the probability columns. */
  classIds: number[];
  labels: number[];
  probs: number[][];
}

/** Labeled, readable, present images that are not dropped from training. */
export function labeledImages(db: Db, datasetId: number): { root: string; images: (LabeledImage & { key: string; file: string })[] } {
  const dataset = db.prepare('SELECT name, root FROM datasets WHERE id = ?').get(datasetId) as { name: string; root: string } | undefined;
  if (!dataset) throw new ApiError('not_found', `There is no dataset with id ${datasetId}.`);
  const rows = db
    .prepare(
      `SELECT i.id, i.rel_path AS relPath, i.hash, i.size, i.mtime, i.class_id AS classId, c.name AS className
         FROM images i JOIN classes c ON c.id = i.class_id
        WHERE i.dataset_id = ? AND i.error IS NULL AND i.missing = 0 AND i.excluded = 0 ORDER BY i.id`,
    )
    .all(datasetId) as (LabeledImage & { hash: string | null; size: number; mtime: number })[];
  return {
    root: dataset.root,
    images: rows.map((r) => {
      const file = path.resolve(dataset.root, r.relPath);
      return { id: r.id, relPath: r.relPath, classId: r.classId, className: r.className, file, key: r.hash ?? fallbackKey(file, r.size, r.mtime) };
    }),
  };
}

/** Stratified folds: each class in a seeded order, dealt round-robin, so every fold has every class. */
export function assignFolds(items: readonly { id: number; label: number }[], folds: number, seed: number): number[] {
  const byClass = new Map<number, { id: number; index: number }[]>();
  items.forEach((it, index) => byClass.set(it.label, [...(byClass.get(it.label) ?? []), { id: it.id, index }]));
  const fold = new Array<number>(items.length).fill(0);
  let offset = 0;
  for (const list of byClass.values()) {
    list.sort((a, b) => deriveSeed(seed, 'fold', a.id) - deriveSeed(seed, 'fold', b.id) || a.id - b.id);
    list.forEach((m, k) => (fold[m.index] = (k + offset) % folds));
    offset += list.length;
  }
  return fold;
}

/**
 * Out-of-sample class probabilities for every labeled image: k models, each trained (with the
 * training engine's model and loop, in this process) on the other folds and predicting its own.
 * Progress is reported per epoch; cancelling stops after the current batch.
 */
export async function crossValidatedProbabilities(db: Db, decodedDir: string, datasetId: number, opts: CrossValidationOptions, job: Job): Promise<OutOfSample> {
  const { images } = labeledImages(db, datasetId);
  const classIds = [...new Set(images.map((i) => i.classId))].sort((a, b) => a - b);
  if (classIds.length < 2) throw new ApiError('invalid_input', `Finding likely mislabels needs labeled images of at least 2 classes; dataset ${datasetId} has ${classIds.length}.`);
  const perClass = classIds.map((c) => images.filter((i) => i.classId === c).length);
  if (Math.min(...perClass) < 2) throw new ApiError('invalid_input', 'Finding likely mislabels needs at least 2 labeled images in every class.');
  if (images.length < opts.folds * 2) throw new ApiError('invalid_input', `folds: ${opts.folds} folds need at least ${opts.folds * 2} labeled images; there are ${images.length}.`);

  const column = new Map(classIds.map((c, k) => [c, k]));
  const samples: RunSample[] = images.map((i) => ({ id: i.id, path: i.file, key: i.key, label: column.get(i.classId)! }));
  const labels = samples.map((s) => s.label);
  const fold = assignFolds(samples.map((s) => ({ id: s.id, label: s.label })), opts.folds, opts.seed);

  // Small batches and a brisk learning rate: a few hundred images give few steps an epoch.
  const config = trainConfig.parse({ model: opts.model, size: opts.size, epochs: opts.epochs, batchSize: 16, learningRate: 0.003, filters: [16, 32], units: [64], seed: opts.seed });
  await initBackend();
  const total = opts.folds * opts.epochs + 1;
  job.progress({ phase: 'decoding', done: 0, total: samples.length });
  const decoded = await decodeAll(samples, opts.size, decodedDir, (done, n) => {
    job.throwIfCancelled();
    job.progress({ phase: 'decoding', done, total: n });
  });

  const probs: number[][] = new Array(samples.length);
  for (let f = 0; f < opts.folds; f++) {
    job.throwIfCancelled();
    const train = samples.filter((_, i) => fold[i] !== f);
    const held = samples.filter((_, i) => fold[i] === f);
    const model = buildModel(config, classIds.length, deriveSeed(opts.seed, 'init', f));
    try {
      const callbacks = new CallbackList([
        { onBatchEnd: () => job.throwIfCancelled() },
        { onEpochEnd: (log) => job.progress({ phase: `fold ${f + 1} of ${opts.folds}`, done: f * opts.epochs + log.epoch, total }) },
      ]);
      await trainLoop({ model, config, classes: classIds.length, train, val: held, decoded, augment: null, dataSeed: deriveSeed(opts.seed, 'data', f), callbacks, control: new TrainControl() });
      const rows = await predictProbabilities(model, held.map((s) => decoded.get(s.id)!), opts.size);
      let k = 0;
      fold.forEach((fi, i) => {
        if (fi === f) probs[i] = rows[k++]!;
      });
    } finally {
      model.dispose();
    }
  }
  job.progress({ phase: 'ranking', done: total, total });
  return { images, classIds, labels, probs };
}
