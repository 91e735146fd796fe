import type { Db } from '../db/open-db.js';
import { stmt } from './statements.js';

/**
 * One line per dataset that moves when anything a page shows of it does: its name and split
 * settings, its classes, and its images' count, labels, splits, files and errors. Weighting each
 * label and split by the image id makes moving a label from one image to another move the sum.
 * One pass over the images; it runs only in a second in which something committed.
 */
const FINGERPRINTS = `
  SELECT d.id AS id,
         d.name || '|' || coalesce(d.split_config, '') || '|' ||
         coalesce((SELECT group_concat(c.id || ':' || c.name || ':' || c.color, ',') FROM classes c WHERE c.dataset_id = d.id), '') || '|' ||
         coalesce(i.n, 0) || ':' || coalesce(i.labels, 0) || ':' || coalesce(i.splits, 0) || ':' || coalesce(i.files, 0) || ':' || coalesce(i.errors, 0) AS print
  FROM datasets d
  LEFT JOIN (
    SELECT dataset_id,
           count(*) AS n,
           total(id * (coalesce(class_id, 0) + 1)) AS labels,
           total(id * CASE split WHEN 'train' THEN 1 WHEN 'val' THEN 2 WHEN 'test' THEN 3 ELSE 0 END) AS splits,
           total(size) + total(mtime) + total(missing) AS files,
           total(CASE WHEN error IS NULL THEN 0 ELSE id END) AS errors
    FROM images GROUP BY dataset_id
  ) i ON i.dataset_id = d.id`;

export function datasetFingerprints(db: Db): Map<number, string> {
  const rows = stmt(db, FINGERPRINTS).all() as { id: number; print: string }[];
  return new Map(rows.map((r) => [r.id, r.print]));
}

/** Datasets added, removed or changed between two sets of fingerprints. */
export function changedDatasets(before: ReadonlyMap<number, string>, after: ReadonlyMap<number, string>): number[] {
  const ids = new Set([...before.keys(), ...after.keys()]);
  return [...ids].filter((id) => before.get(id) !== after.get(id)).sort((a, b) => a - b);
}
