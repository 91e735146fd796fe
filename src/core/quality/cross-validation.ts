import path from 'node:path';
import { ApiError } from '../../shared/api/errors.js';
import { trainConfig, type ModelKind, type TrainConfig, type TrainConfigInput } from '../../shared/api/train.js';
import type { AppContext } from '../context.js';
import type { Db } from '../db/open-db.js';
import type { Job } from '../jobs/job-registry.js';
import { fallbackKey } from '../train/data/decode-cache.js';
import type { RunSample } from '../train/data/samples.js';
import { checkModelShape } from '../train/models/model-shape.js';
import { deriveSeed } from '../train/seeded-random.js';
import { runWorkerTask } from '../train/worker/worker-task.js';

export interface CrossValidationOptions {
  folds: number;
  /** The most epochs a fold trains; early stopping usually ends it sooner. */
  epochs: number;
  size: number;
  model: ModelKind;
  seed: number;
  /** Epochs without improvement of the inner validation loss before a fold stops (0 = never). */
  patience: number;
}

/** Small and fast: a minute or two for a few hundred images, enough to rank labels, not to ship. */
export const DEFAULT_CROSS_VALIDATION: CrossValidationOptions = { folds: 5, epochs: 20, size: 32, model: 'cnn', seed: 0, patience: 3 };

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
  /** Out-of-sample accuracy against the given labels. */
  accuracy: number;
  /** Epochs each fold's model kept. */
  foldEpochs: number[];
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
 * The fold models' training settings: a CNN with one pooling per halving down to 8 px (so a 32 px
 * image gets three conv blocks), batch norm, Adam at a brisk rate, batches of up to 32; early stopping
 * ends a fold once its inner validation loss stops falling.
 */
export function foldTrainConfig(opts: CrossValidationOptions, trainImages: number, overrides: Partial<TrainConfigInput> = {}): TrainConfig {
  const blocks = Math.max(1, Math.min(3, Math.floor(Math.log2(opts.size / 4))));
  const filters = [16, 32, 64].slice(0, blocks);
  // About ten steps an epoch or more: batches of 8 for a few dozen images, 32 from a few hundred.
  const batchSize = Math.min(32, Math.max(8, 2 ** Math.floor(Math.log2(Math.max(1, trainImages / 10)))));
  return trainConfig.parse({
    model: opts.model,
    size: opts.size,
    epochs: opts.epochs,
    batchSize,
    learningRate: 0.003,
    batchNorm: opts.model === 'cnn',
    filters,
    units: [64],
    seed: opts.seed,
    ...overrides,
  });
}

/**
 * Out-of-sample class probabilities for every labeled image: k models, each trained (with the
 * training engine's model and loop, in a training process of its own so the API stays responsive)
 * on the other folds and predicting its own. Progress is reported per epoch; cancelling kills the
 * process.
 */
export async function crossValidatedProbabilities(
  ctx: Pick<AppContext, 'db' | 'paths' | 'host' | 'onClose'>,
  datasetId: number,
  opts: CrossValidationOptions,
  job: Job,
  overrides: Partial<TrainConfigInput> = {},
): Promise<OutOfSample> {
  const { images } = labeledImages(ctx.db, datasetId);
  const classIds = [...new Set(images.map((i) => i.classId))].sort((a, b) => a - b);
  if (classIds.length < 2) throw new ApiError('invalid_input', `Finding likely mislabels needs labeled images of at least 2 classes; dataset ${datasetId} has ${classIds.length}.`);
  const perClass = classIds.map((c) => images.filter((i) => i.classId === c).length);
  if (Math.min(...perClass) < 2) throw new ApiError('invalid_input', 'Finding likely mislabels needs at least 2 labeled images in every class.');
  if (images.length < opts.folds * 2) throw new ApiError('invalid_input', `folds: ${opts.folds} folds need at least ${opts.folds * 2} labeled images; there are ${images.length}.`);
  const config = foldTrainConfig(opts, Math.round((images.length * (opts.folds - 1)) / opts.folds), overrides);
  checkModelShape(config);

  const column = new Map(classIds.map((c, k) => [c, k]));
  const samples: RunSample[] = images.map((i) => ({ id: i.id, path: i.file, key: i.key, label: column.get(i.classId)! }));
  const fold = assignFolds(samples.map((s) => ({ id: s.id, label: s.label })), opts.folds, opts.seed);
  job.progress({ phase: 'starting', done: 0, total: null });
  const result = await runWorkerTask(
    ctx,
    {
      kind: 'cross-validation',
      input: { samples, fold, folds: opts.folds, classes: classIds.length, config, patience: opts.patience, seed: opts.seed, decodedDir: ctx.paths.decoded },
    },
    job,
  );
  job.progress({ phase: 'ranking', done: 1, total: 1 });
  return { images, classIds, labels: samples.map((s) => s.label), probs: result.probs, accuracy: result.accuracy, foldEpochs: result.epochs };
}
