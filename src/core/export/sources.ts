import path from 'node:path';
import type { SplitName } from '../../shared/api/common.js';
import type { Db } from '../db/open-db.js';
import { getDataset, type DatasetRow } from '../library/datasets.js';

/** One library image that goes into an export. */
export interface SourceImage {
  readonly id: number;
  /** Absolute path of the original. */
  readonly path: string;
  readonly relPath: string;
  /** Content hash recorded at import (sha1 of the file's bytes). */
  readonly hash: string;
  readonly className: string;
  readonly split: SplitName;
}

export interface SourceSelection {
  readonly dataset: DatasetRow;
  /** In image id order, which is also the order of the manifest. */
  readonly images: SourceImage[];
  readonly skipped: { unlabeled: number; unreadable: number; missing: number; otherSplits: number };
}

interface Row {
  id: number;
  rel_path: string;
  hash: string | null;
  class_name: string | null;
  split: SplitName | null;
  error: string | null;
  missing: number;
}

/** The labelled, readable images of the chosen splits; everything else is counted by why it was left out. */
export function selectSources(db: Db, datasetId: number, splits: readonly SplitName[]): SourceSelection {
  const dataset = getDataset(db, datasetId);
  const rows = db
    .prepare(
      `SELECT i.id, i.rel_path, i.hash, c.name AS class_name, i.split, i.error, i.missing
         FROM images i LEFT JOIN classes c ON c.id = i.class_id
        WHERE i.dataset_id = ? AND i.excluded = 0 ORDER BY i.id`,
    )
    .all(datasetId) as Row[];
  const wanted = new Set(splits);
  const skipped = { unlabeled: 0, unreadable: 0, missing: 0, otherSplits: 0 };
  const images: SourceImage[] = [];
  for (const r of rows) {
    if (r.missing) skipped.missing++;
    else if (r.error !== null || r.hash === null) skipped.unreadable++;
    else if (r.class_name === null) skipped.unlabeled++;
    else if (r.split === null || !wanted.has(r.split)) skipped.otherSplits++;
    else {
      images.push({
        id: r.id,
        path: path.join(dataset.root, ...r.rel_path.split('/')),
        relPath: r.rel_path,
        hash: r.hash,
        className: r.class_name,
        split: r.split,
      });
    }
  }
  return { dataset, images, skipped };
}
