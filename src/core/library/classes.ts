import { ApiError } from '../../shared/api/errors.js';
import type { ClassInfo } from '../../shared/api/library.js';
import type { Db } from '../db/open-db.js';
import { getDataset } from './datasets.js';
import { nextColor } from './palette.js';
import { pluck, stmt } from './statements.js';

interface ClassRow {
  id: number;
  dataset_id: number;
  name: string;
  color: string;
}

const classWithCount = `SELECT c.id, c.dataset_id, c.name, c.color,
  (SELECT COUNT(*) FROM images i WHERE i.dataset_id = c.dataset_id AND i.class_id = c.id AND i.missing = 0) AS count
  FROM classes c`;

function toInfo(r: ClassRow & { count: number }): ClassInfo {
  return { id: r.id, datasetId: r.dataset_id, name: r.name, color: r.color, count: r.count };
}

export function getClass(db: Db, classId: number): ClassRow {
  const row = stmt(db, 'SELECT * FROM classes WHERE id = ?').get(classId) as ClassRow | undefined;
  if (!row) throw new ApiError('not_found', `There is no class with id ${classId}.`);
  return row;
}

export function classInfo(db: Db, classId: number): ClassInfo {
  const row = stmt(db, `${classWithCount} WHERE c.id = ?`).get(classId) as (ClassRow & { count: number }) | undefined;
  if (!row) throw new ApiError('not_found', `There is no class with id ${classId}.`);
  return toInfo(row);
}

/** Classes in name order, each with the number of its images present on disk. */
export function listClasses(db: Db, datasetId: number): ClassInfo[] {
  getDataset(db, datasetId);
  const rows = stmt(db, `${classWithCount} WHERE c.dataset_id = ? ORDER BY c.name COLLATE NOCASE, c.id`).all(datasetId) as (ClassRow & { count: number })[];
  return rows.map(toInfo);
}

function classByName(db: Db, datasetId: number, name: string): ClassRow | undefined {
  return stmt(db, 'SELECT * FROM classes WHERE dataset_id = ? AND name = ?').get(datasetId, name) as ClassRow | undefined;
}

function insertClass(db: Db, datasetId: number, name: string, color?: string): number {
  const used = pluck(db, 'SELECT color FROM classes WHERE dataset_id = ? ORDER BY id').all(datasetId) as string[];
  const result = stmt(db, 'INSERT INTO classes (dataset_id, name, color) VALUES (?, ?, ?)').run(datasetId, name, color ?? nextColor(used));
  return Number(result.lastInsertRowid);
}

/** The id of the class called `name`, creating it (with the next palette colour) when missing. */
export function ensureClass(db: Db, datasetId: number, name: string): number {
  return classByName(db, datasetId, name)?.id ?? insertClass(db, datasetId, name);
}

export function createClass(db: Db, datasetId: number, name: string, color?: string): ClassInfo {
  getDataset(db, datasetId);
  if (classByName(db, datasetId, name)) {
    throw new ApiError('conflict', `This dataset already has a class called "${name}".`);
  }
  return classInfo(db, insertClass(db, datasetId, name, color));
}

export function updateClass(db: Db, classId: number, changes: { name?: string; color?: string }): ClassInfo {
  const current = getClass(db, classId);
  if (changes.name !== undefined && changes.name !== current.name) {
    const other = classByName(db, current.dataset_id, changes.name);
    if (other) throw new ApiError('conflict', `This dataset already has a class called "${changes.name}": merge the classes instead of renaming.`);
  }
  stmt(db, 'UPDATE classes SET name = ?, color = ? WHERE id = ?').run(changes.name ?? current.name, changes.color ?? current.color, classId);
  return classInfo(db, classId);
}

/** Moves every image of the source classes into the target, then deletes the sources. */
export function mergeClasses(db: Db, sourceIds: readonly number[], targetId: number): ClassInfo {
  const target = getClass(db, targetId);
  const sources = [...new Set(sourceIds)].filter((id) => id !== targetId).map((id) => getClass(db, id));
  const foreign = sources.find((s) => s.dataset_id !== target.dataset_id);
  if (foreign) {
    throw new ApiError('invalid_input', `Class "${foreign.name}" belongs to another dataset than "${target.name}": only classes of one dataset can be merged.`);
  }
  db.transaction(() => {
    for (const s of sources) {
      stmt(db, 'UPDATE images SET class_id = ? WHERE dataset_id = ? AND class_id = ?').run(targetId, target.dataset_id, s.id);
      stmt(db, 'DELETE FROM classes WHERE id = ?').run(s.id);
    }
  })();
  return classInfo(db, targetId);
}

/** Deletes a class; its images become unlabeled. Returns how many images that touched. */
export function deleteClass(db: Db, classId: number): { datasetId: number; unlabeled: number } {
  const current = getClass(db, classId);
  return db.transaction(() => {
    const unlabeled = stmt(db, 'UPDATE images SET class_id = NULL WHERE dataset_id = ? AND class_id = ?').run(current.dataset_id, classId).changes;
    stmt(db, 'DELETE FROM classes WHERE id = ?').run(classId);
    return { datasetId: current.dataset_id, unlabeled };
  })();
}
