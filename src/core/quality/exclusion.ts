import { ApiError } from '../../shared/api/errors.js';
import type { Db } from '../db/open-db.js';
import { stmt } from '../library/statements.js';

/**
 * Drops images from training, comparisons and export (or brings them back). Only a flag in the
 * library: the files are never touched.
 */
export function setExcluded(db: Db, imageIds: readonly number[], excluded: boolean): { updated: number; datasetIds: number[] } {
  const ids = JSON.stringify([...new Set(imageIds)]);
  return db.transaction(() => {
    const rows = stmt(db, 'SELECT i.id, i.dataset_id FROM json_each(?) j JOIN images i ON i.id = j.value').all(ids) as { id: number; dataset_id: number }[];
    if (rows.length !== new Set(imageIds).size) {
      const found = new Set(rows.map((r) => r.id));
      const unknown = imageIds.filter((x) => !found.has(x)).slice(0, 5);
      throw new ApiError('not_found', `There is no image with id ${unknown.join(', ')}.`);
    }
    const updated = stmt(db, 'UPDATE images SET excluded = ? WHERE id IN (SELECT value FROM json_each(?)) AND excluded != ?').run(excluded ? 1 : 0, ids, excluded ? 1 : 0).changes;
    return { updated, datasetIds: [...new Set(rows.map((r) => r.dataset_id))] };
  })();
}
