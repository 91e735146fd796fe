import { ApiError } from '../../shared/api/errors.js';
import type { DatasetSummary } from '../../shared/api/library.js';
import type { Db } from '../db/open-db.js';
import { pluck, stmt } from './statements.js';
import { removeThumbnail } from './thumbnail-files.js';

export interface DatasetRow {
  id: number;
  name: string;
  root: string;
  split_config: string | null;
  created_at: string;
}

export function getDataset(db: Db, datasetId: number): DatasetRow {
  const row = stmt(db, 'SELECT * FROM datasets WHERE id = ?').get(datasetId) as DatasetRow | undefined;
  if (!row) throw new ApiError('not_found', `There is no dataset with id ${datasetId}.`);
  return row;
}

export function datasetByName(db: Db, name: string): DatasetRow | undefined {
  return stmt(db, 'SELECT * FROM datasets WHERE name = ?').get(name) as DatasetRow | undefined;
}

export function datasetByRoot(db: Db, root: string): DatasetRow | undefined {
  return stmt(db, 'SELECT * FROM datasets WHERE root = ?').get(root) as DatasetRow | undefined;
}

/** `base`, or `base (2)`, `base (3)`… whichever is free. */
export function uniqueDatasetName(db: Db, base: string): string {
  if (!datasetByName(db, base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base} (${n})`;
    if (!datasetByName(db, candidate)) return candidate;
  }
}

/**
 * Counts cover files present on disk; rows kept for missing files only add to `missing`. Each
 * count is per dataset so it is read from a covering index (dataset_id, missing, …) alone.
 */
export function datasetSummaries(db: Db, only?: number): DatasetSummary[] {
  const datasets = (
    only === undefined ? stmt(db, 'SELECT * FROM datasets ORDER BY id').all() : stmt(db, 'SELECT * FROM datasets WHERE id = ?').all(only)
  ) as DatasetRow[];
  const count = (sql: string, id: number) => pluck(db, `SELECT COUNT(*) FROM images WHERE dataset_id = ? AND ${sql}`).get(id) as number;
  return datasets.map((d) => {
    const perClass = stmt(
      db,
      'SELECT class_id, COUNT(*) AS n FROM images WHERE dataset_id = ? AND missing = 0 AND class_id IS NOT NULL GROUP BY class_id',
    ).all(d.id) as { class_id: number; n: number }[];
    const byClass = new Map(perClass.map((r) => [r.class_id, r.n]));
    const names = stmt(db, 'SELECT id, name FROM classes WHERE dataset_id = ? ORDER BY name COLLATE NOCASE, id').all(d.id) as { id: number; name: string }[];
    const perSplit = stmt(db, 'SELECT split, COUNT(*) AS n FROM images WHERE dataset_id = ? AND missing = 0 AND split IS NOT NULL GROUP BY split').all(
      d.id,
    ) as { split: string; n: number }[];
    return {
      id: d.id,
      name: d.name,
      root: d.root,
      images: count('missing = 0', d.id),
      classes: Object.fromEntries(names.map((c) => [c.name, byClass.get(c.id) ?? 0])),
      splits: Object.fromEntries(perSplit.map((r) => [r.split, r.n])),
      unlabeled: count('missing = 0 AND class_id IS NULL', d.id),
      errors: count('missing = 0 AND error IS NOT NULL', d.id),
      missing: count('missing = 1', d.id),
      createdAt: d.created_at,
    };
  });
}

export function datasetSummary(db: Db, datasetId: number): DatasetSummary {
  getDataset(db, datasetId);
  return datasetSummaries(db, datasetId)[0]!;
}

export function renameDataset(db: Db, datasetId: number, name: string): DatasetSummary {
  const current = getDataset(db, datasetId);
  const other = datasetByName(db, name);
  if (other && other.id !== current.id) {
    throw new ApiError('conflict', `Another dataset is already called "${name}": choose a different name.`);
  }
  stmt(db, 'UPDATE datasets SET name = ? WHERE id = ?').run(name, datasetId);
  return datasetSummary(db, datasetId);
}

/**
 * Forgets a dataset and its labels. The files on disk are never touched; thumbnails that no other
 * dataset shares are deleted, since nothing can show them any more.
 */
export async function removeDataset(db: Db, thumbsDir: string, datasetId: number): Promise<boolean> {
  const hashes = pluck(db, 'SELECT DISTINCT hash FROM images WHERE dataset_id = ? AND hash IS NOT NULL').all(datasetId) as string[];
  const removed = stmt(db, 'DELETE FROM datasets WHERE id = ?').run(datasetId).changes > 0;
  if (!removed) return false;
  const stillUsed = pluck(db, 'SELECT 1 FROM images WHERE hash = ? LIMIT 1');
  for (const hash of hashes) {
    if (stillUsed.get(hash) === undefined) await removeThumbnail(thumbsDir, hash);
  }
  return true;
}
