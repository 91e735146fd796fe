import { ApiError } from '../../shared/api/errors.js';
import type { Db } from '../db/open-db.js';
import { getClass } from './classes.js';
import { stmt } from './statements.js';

export interface PreviousLabel {
  imageId: number;
  classId: number | null;
}

export interface LabelResult {
  updated: number;
  previous: PreviousLabel[];
  datasetIds: number[];
}

function describeIds(ids: readonly number[]): string {
  const shown = ids.slice(0, 5).join(', ');
  return ids.length > 5 ? `${shown} and ${ids.length - 5} more` : shown;
}

/** Current labels of `imageIds`; every id must exist. */
function currentLabels(db: Db, imageIds: readonly number[]): { id: number; dataset_id: number; class_id: number | null }[] {
  const rows = stmt(db, 'SELECT i.id, i.dataset_id, i.class_id FROM json_each(?) j JOIN images i ON i.id = j.value').all(
    JSON.stringify(imageIds),
  ) as { id: number; dataset_id: number; class_id: number | null }[];
  if (rows.length !== imageIds.length) {
    const found = new Set(rows.map((r) => r.id));
    const unknown = imageIds.filter((id) => !found.has(id));
    throw new ApiError('not_found', `There is no image with id ${describeIds(unknown)}.`);
  }
  return rows;
}

/**
 * Gives every image the class `classId` (null unlabels). All images must belong to the class's
 * dataset. Returns each image's previous class so the change can be undone with restoreLabels.
 */
export function labelImages(db: Db, imageIds: readonly number[], classId: number | null): LabelResult {
  const ids = [...new Set(imageIds)];
  return db.transaction(() => {
    const rows = currentLabels(db, ids);
    if (classId !== null) {
      const cls = getClass(db, classId);
      const foreign = rows.filter((r) => r.dataset_id !== cls.dataset_id).map((r) => r.id);
      if (foreign.length) {
        throw new ApiError('invalid_input', `Image ${describeIds(foreign)} is not in the dataset of class "${cls.name}".`);
      }
    }
    const updated = stmt(db, 'UPDATE images SET class_id = ? WHERE id IN (SELECT value FROM json_each(?)) AND class_id IS NOT ?').run(
      classId,
      JSON.stringify(ids),
      classId,
    ).changes;
    return {
      updated,
      previous: rows.map((r) => ({ imageId: r.id, classId: r.class_id })),
      datasetIds: [...new Set(rows.map((r) => r.dataset_id))],
    };
  })();
}

/** Puts back labels returned by labelImages. Fails, changing nothing, if a class was deleted since. */
export function restoreLabels(db: Db, labels: readonly PreviousLabel[]): { updated: number; datasetIds: number[] } {
  return db.transaction(() => {
    const rows = currentLabels(db, [...new Set(labels.map((l) => l.imageId))]);
    const datasetOf = new Map(rows.map((r) => [r.id, r.dataset_id]));
    const classDataset = new Map<number, number>();
    const set = stmt(db, 'UPDATE images SET class_id = ? WHERE id = ? AND class_id IS NOT ?');
    let updated = 0;
    for (const { imageId, classId } of labels) {
      if (classId !== null) {
        let ds = classDataset.get(classId);
        if (ds === undefined) {
          try {
            ds = getClass(db, classId).dataset_id;
          } catch {
            throw new ApiError('conflict', `Cannot undo: class ${classId} has been deleted since.`);
          }
          classDataset.set(classId, ds);
        }
        if (ds !== datasetOf.get(imageId)) {
          throw new ApiError('invalid_input', `Image ${imageId} is not in the dataset of class ${classId}.`);
        }
      }
      updated += set.run(classId, imageId, classId).changes;
    }
    return { updated, datasetIds: [...new Set(rows.map((r) => r.dataset_id))] };
  })();
}
