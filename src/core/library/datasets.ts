import { promises as fs } from 'node:fs';
import { ApiError } from '../../shared/api/errors.js';
import type { DatasetSummary } from '../../shared/api/library.js';
import type { Db } from '../db/open-db.js';
import { pluck, stmt } from './statements.js';
import { thumbPath } from './thumbnails.js';

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

type CountRow = { dataset_id: number; key: string | null; n: number };

/** Counts cover files present on disk; rows kept for missing files only add to `missing`. */
export function datasetSummaries(db: Db, only?: number): DatasetSummary[] {
  const where = only === undefined ? '' : 'WHERE d.id = ?';
  const args = only === undefined ? [] : [only];
  const rows = stmt(
    db,
    `SELECT d.id, d.name, d.root, d.created_at,
       (SELECT COUNT(*) FROM images i WHERE i.dataset_id = d.id AND i.missing = 0) AS images,
       (SELECT COUNT(*) FROM images i WHERE i.dataset_id = d.id AND i.missing = 0 AND i.class_id IS NULL) AS unlabeled,
       (SELECT COUNT(*) FROM images i WHERE i.dataset_id = d.id AND i.missing = 0 AND i.error IS NOT NULL) AS errors,
       (SELECT COUNT(*) FROM images i WHERE i.dataset_id = d.id AND i.missing = 1) AS missing
     FROM datasets d ${where} ORDER BY d.id`,
  ).all(...args) as { id: number; name: string; root: string; created_at: string; images: number; unlabeled: number; errors: number; missing: number }[];
  const filter = only === undefined ? '' : 'AND i.dataset_id = ?';
  const classCounts = stmt(
    db,
    `SELECT i.dataset_id, c.name AS key, COUNT(*) AS n FROM images i JOIN classes c ON c.id = i.class_id
     WHERE i.missing = 0 ${filter} GROUP BY i.dataset_id, i.class_id`,
  ).all(...args) as CountRow[];
  const splitCounts = stmt(
    db,
    `SELECT i.dataset_id, i.split AS key, COUNT(*) AS n FROM images i
     WHERE i.missing = 0 AND i.split IS NOT NULL ${filter} GROUP BY i.dataset_id, i.split`,
  ).all(...args) as CountRow[];
  const emptyClasses = stmt(
    db,
    `SELECT c.dataset_id, c.name AS key, 0 AS n FROM classes c ${only === undefined ? '' : 'WHERE c.dataset_id = ?'}`,
  ).all(...args) as CountRow[];
  const group = (list: CountRow[]) => {
    const byDataset = new Map<number, Record<string, number>>();
    for (const r of list) {
      const bucket = byDataset.get(r.dataset_id) ?? {};
      bucket[r.key ?? ''] = r.n;
      byDataset.set(r.dataset_id, bucket);
    }
    return byDataset;
  };
  const classes = group([...emptyClasses, ...classCounts]);
  const splits = group(splitCounts);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    root: r.root,
    images: r.images,
    classes: classes.get(r.id) ?? {},
    splits: splits.get(r.id) ?? {},
    unlabeled: r.unlabeled,
    errors: r.errors,
    missing: r.missing,
    createdAt: r.created_at,
  }));
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
    if (stillUsed.get(hash) === undefined) await fs.rm(thumbPath(thumbsDir, hash), { force: true });
  }
  return true;
}
