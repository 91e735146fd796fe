import type { SplitName } from '../../shared/api/common.js';
import type { Db } from '../db/open-db.js';
import { ensureClass } from './classes.js';
import { labelsFromPath } from './layout.js';
import type { ScannedFile } from './scan-files.js';
import { stmt } from './statements.js';

/** Columns written for one file, whether it read fine or not. */
export interface ImageColumns {
  rel_path: string;
  hash: string | null;
  size: number;
  mtime: number;
  width: number | null;
  height: number | null;
  format: string | null;
  orientation: number | null;
  error: string | null;
}

export function columnsOf({ file, outcome }: ScannedFile): ImageColumns {
  const facts = outcome.ok ? outcome.facts : null;
  return {
    rel_path: file.relPath,
    hash: outcome.ok ? outcome.facts.hash : outcome.hash,
    size: file.size,
    mtime: file.mtimeMs,
    width: facts?.width ?? null,
    height: facts?.height ?? null,
    format: facts?.format ?? null,
    orientation: facts?.orientation ?? null,
    error: outcome.ok ? null : outcome.reason,
  };
}

export interface SortedScan {
  fresh: ScannedFile[];
  duplicates: { path: string; sameAs: string }[];
}

/**
 * Separates files whose bytes are already in the dataset (or earlier in this scan, in path order)
 * from new ones. Unreadable files are never duplicates: each keeps its own row and reason.
 */
export function dedupe(scanned: readonly ScannedFile[], known: Map<string, string>): SortedScan {
  const seen = new Map(known);
  const fresh: ScannedFile[] = [];
  const duplicates: { path: string; sameAs: string }[] = [];
  for (const s of scanned) {
    if (!s.outcome.ok) {
      fresh.push(s);
      continue;
    }
    const first = seen.get(s.outcome.facts.hash);
    if (first !== undefined) {
      duplicates.push({ path: s.file.relPath, sameAs: first });
      continue;
    }
    seen.set(s.outcome.facts.hash, s.file.relPath);
    fresh.push(s);
  }
  return { fresh, duplicates };
}

/**
 * Inserts files as new image rows, with the class and split their folders give. Unreadable files
 * keep the class of their folder (so the user sees where they were) but get no split.
 */
export function insertImages(db: Db, datasetId: number, files: readonly ScannedFile[]): void {
  const insert = stmt(
    db,
    `INSERT INTO images (dataset_id, rel_path, hash, size, mtime, width, height, format, orientation, class_id, split, split_source, error)
     VALUES (@dataset_id, @rel_path, @hash, @size, @mtime, @width, @height, @format, @orientation, @class_id, @split, @split_source, @error)`,
  );
  const classIds = new Map<string, number>();
  for (const s of files) {
    const columns = columnsOf(s);
    const labels = labelsFromPath(columns.rel_path);
    let classId: number | null = null;
    if (labels.className !== null) {
      classId = classIds.get(labels.className) ?? ensureClass(db, datasetId, labels.className);
      classIds.set(labels.className, classId);
    }
    const split: SplitName | null = columns.error === null ? labels.split : null;
    insert.run({ dataset_id: datasetId, ...columns, class_id: classId, split, split_source: split ? 'folder' : null });
  }
}
