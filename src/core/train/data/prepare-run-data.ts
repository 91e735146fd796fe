import path from 'node:path';
import { ApiError } from '../../../shared/api/errors.js';
import type { RunData, TrainConfig } from '../../../shared/api/train.js';
import type { Db } from '../../db/open-db.js';
import { stratifiedFraction, stratifiedHoldOut } from './assign-sets.js';
import { fallbackKey } from './decode-cache.js';
import type { RunSample, RunSets } from './samples.js';

/** Share of the training pool held out for validation when the dataset has no validation images. */
export const AUTO_VAL_SHARE = 0.2;

interface ImageRecord {
  id: number;
  relPath: string;
  hash: string | null;
  size: number;
  mtime: number;
  classId: number;
  className: string;
  split: 'train' | 'val' | 'test' | null;
  usable: number;
}

export interface PreparedRun {
  data: RunData;
  sets: RunSets;
}

/** The resolved seeds of a run: each role's own seed, or the run's seed. */
export function roleSeed(config: TrainConfig, role: 'splitSeed' | 'subsetSeed' | 'initSeed' | 'dataSeed'): number {
  return config[role] ?? config.seed;
}

/**
 * Picks the images a run trains, validates and tests on, from the library tables: labeled images
 * without a read error that are still on disk and not dropped in the duplicate review (excluded). A dataset without validation images gets a seeded,
 * stratified 80/20 hold-out of its training pool, recorded in the run's data.
 */
export function prepareRunData(db: Db, datasetId: number, config: TrainConfig): PreparedRun {
  const dataset = db.prepare('SELECT name, root FROM datasets WHERE id = ?').get(datasetId) as { name: string; root: string } | undefined;
  if (!dataset) throw new ApiError('not_found', `There is no dataset with id ${datasetId}.`);
  const rows = db
    .prepare(
      `SELECT i.id, i.rel_path AS relPath, i.hash, i.size, i.mtime, i.class_id AS classId, c.name AS className, i.split,
              (i.error IS NULL AND i.missing = 0) AS usable
         FROM images i JOIN classes c ON c.id = i.class_id
        WHERE i.dataset_id = ? AND i.excluded = 0 ORDER BY i.id`,
    )
    .all(datasetId) as ImageRecord[];
  const usable = rows.filter((r) => r.usable);
  let skipped = rows.length - usable.length;
  const where = `Dataset "${dataset.name}"`;
  if (usable.length === 0) {
    throw new ApiError('invalid_input', `${where} has no labeled images to train on; label some images (or import a folder laid out as class/…) first.`);
  }

  const hasSplits = usable.some((r) => r.split !== null);
  let train = hasSplits ? usable.filter((r) => r.split === 'train') : usable;
  let val = usable.filter((r) => r.split === 'val');
  const test = usable.filter((r) => r.split === 'test');
  if (hasSplits) skipped += usable.filter((r) => r.split === null).length;
  if (train.length === 0) {
    throw new ApiError('invalid_input', `${where} has no training images; run \`smallset split\` to assign a train split.`);
  }
  let split: RunData['split'] = { mode: 'dataset' };
  const splitSeed = config.splitSeed ?? config.seed;
  if (val.length === 0) {
    const { keep, held } = stratifiedHoldOut(train, AUTO_VAL_SHARE, splitSeed);
    train = keep;
    val = held;
    split = { mode: 'auto', train: 1 - AUTO_VAL_SHARE, val: AUTO_VAL_SHARE, seed: splitSeed };
    if (val.length === 0) {
      throw new ApiError('invalid_input', `${where} is too small to hold out validation images (each class needs at least 2 images).`);
    }
  }

  train = subsetOf(train, config, where);
  const trainClasses = new Set(train.map((r) => r.classId));
  if (trainClasses.size < 2) {
    throw new ApiError('invalid_input', `${where} needs training images of at least 2 classes; it has ${trainClasses.size}.`);
  }

  const classIds = [...new Set([...train, ...val, ...test].map((r) => r.classId))];
  const names = new Map(rows.map((r) => [r.classId, r.className]));
  const classes = classIds.map((id) => ({ id, name: names.get(id)! })).sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
  const labelOf = new Map(classes.map((c, i) => [c.id, i]));
  const toSample = (r: ImageRecord): RunSample => {
    const file = path.resolve(dataset.root, r.relPath);
    return { id: r.id, path: file, key: r.hash ?? fallbackKey(file, r.size, r.mtime), label: labelOf.get(r.classId)! };
  };
  return {
    data: { classes, split, counts: { train: train.length, val: val.length, test: test.length }, skipped },
    sets: { train: train.map(toSample), val: val.map(toSample), test: test.map(toSample) },
  };
}

function subsetOf(train: ImageRecord[], config: TrainConfig, where: string): ImageRecord[] {
  if (config.trainImageIds) {
    const byId = new Map(train.map((r) => [r.id, r]));
    const missing = config.trainImageIds.filter((id) => !byId.has(id));
    if (missing.length > 0) {
      throw new ApiError('invalid_input', `trainImageIds: image ${missing.slice(0, 5).join(', ')} ${missing.length > 1 ? 'are' : 'is'} not a usable training image of ${where}.`);
    }
    return [...new Set(config.trainImageIds)].map((id) => byId.get(id)!).sort((a, b) => a.id - b.id);
  }
  return stratifiedFraction(train, config.trainFraction, config.subsetSeed ?? config.seed);
}
