import type { AppContext } from '../context.js';
import type { Db } from '../db/open-db.js';
import { pluck, stmt } from './statements.js';

/** How often the library file is checked for commits from other processes. */
export const WATCH_EVERY_MS = 1000;

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

/**
 * Tells the open pages about library changes made by other processes: `smallset label`, `import`
 * or `split` in a terminal, a second app on the same data folder. SQLite's data_version moves only
 * for other connections' commits; this process's own changes announce themselves, and only move
 * the baseline here. Returns the stop function; it stops with the context too.
 */
export function watchOutsideChanges(ctx: AppContext, everyMs = WATCH_EVERY_MS): () => void {
  const outside = () => pluck(ctx.db, 'PRAGMA data_version').get() as number;
  const own = () => pluck(ctx.db, 'SELECT total_changes()').get() as number;
  let seen = { outside: outside(), own: own() };
  let prints = datasetFingerprints(ctx.db);
  const check = () => {
    if (!ctx.db.open) return;
    const now = { outside: outside(), own: own() };
    if (now.outside === seen.outside && now.own === seen.own) return;
    const next = datasetFingerprints(ctx.db);
    const changed = now.outside === seen.outside ? [] : changedDatasets(prints, next);
    seen = now;
    prints = next;
    for (const datasetId of changed) ctx.events.emit('library.changed', { datasetId });
  };
  const timer = setInterval(check, everyMs);
  timer.unref();
  const stop = () => clearInterval(timer);
  ctx.onClose(stop);
  return stop;
}
