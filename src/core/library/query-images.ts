import path from 'node:path';
import { ApiError } from '../../shared/api/errors.js';
import type { ImageDetail, ImageFilter, ImageRow } from '../../shared/api/library.js';
import type { SplitName } from '../../shared/api/common.js';
import type { Db } from '../db/open-db.js';
import { AUDIT_FLAGS } from '../quality/audit-flags.js';
import { getDataset } from './datasets.js';
import { ftsPhrase, ftsSearchSql, likeCondition, likePatterns, planNameSearch } from './name-search.js';
import { cachedQuery } from './query-cache.js';
import { pluck, stmt } from './statements.js';

interface Row {
  id: number;
  dataset_id: number;
  rel_path: string;
  class_id: number | null;
  class_name: string | null;
  split: SplitName | null;
  width: number | null;
  height: number | null;
  format: string | null;
  size: number;
  error: string | null;
  missing: number;
}

const columns = `i.id, i.dataset_id, i.rel_path, i.class_id, c.name AS class_name, i.split, i.width, i.height,
  i.format, i.size, i.error, i.missing`;

/** The WHERE clause for a filter; every condition can use an index that starts with dataset_id. */
function whereClause(filter: ImageFilter): { sql: string; args: unknown[] } {
  const parts = ['i.dataset_id = ?', 'i.missing = ?'];
  const args: unknown[] = [filter.datasetId, filter.missing ? 1 : 0];
  if (filter.classId !== undefined) {
    parts.push('i.class_id = ?');
    args.push(filter.classId);
  }
  if (filter.unlabeled) parts.push('i.class_id IS NULL');
  if (filter.unlabeled === false) parts.push('i.class_id IS NOT NULL');
  if (filter.split !== undefined) {
    parts.push('i.split = ?');
    args.push(filter.split);
  }
  if (filter.hasError === true) parts.push('i.error IS NOT NULL');
  if (filter.hasError === false) parts.push('i.error IS NULL');
  if (filter.audit !== undefined) {
    parts.push('EXISTS (SELECT 1 FROM image_quality q WHERE q.image_id = i.id AND q.hash = i.hash AND q.flags & ? != 0)');
    args.push(AUDIT_FLAGS[filter.audit]);
  }
  if (filter.excluded !== undefined) {
    parts.push('i.excluded = ?');
    args.push(filter.excluded ? 1 : 0);
  }
  return { sql: parts.join(' AND '), args };
}

export function toImageRow(root: string, r: Row): ImageRow {
  return {
    id: r.id,
    datasetId: r.dataset_id,
    path: path.join(root, ...r.rel_path.split('/')),
    relPath: r.rel_path,
    name: path.posix.basename(r.rel_path),
    classId: r.class_id,
    className: r.class_name,
    split: r.split,
    width: r.width,
    height: r.height,
    format: r.format,
    size: r.size,
    error: r.error,
    missing: r.missing === 1,
  };
}

const select = `SELECT ${columns} FROM images i LEFT JOIN classes c ON c.id = i.class_id`;

function searchText(filter: ImageFilter): string {
  return filter.text?.trim() ?? '';
}

/** The LIKE scan of the path index for text the trigram index is not used for. */
function scanSql(where: { sql: string; args: unknown[] }, patterns: readonly string[]): { sql: string; args: unknown[] } {
  return { sql: `SELECT i.id FROM images i INDEXED BY images_by_path WHERE ${where.sql} AND ${likeCondition(patterns)}`, args: [...where.args, ...patterns] };
}

/**
 * The SQL a filter runs, exposed so tests can check every filter is answered from an index. A
 * text filter runs one of two queries (see name-search.ts): `scan` gives the LIKE scan of the path
 * index, `index` the join of the trigram index's hits with the rest of the filter.
 */
export function imageQuerySql(filter: ImageFilter, textPath: 'index' | 'scan' = 'index'): { sql: string[]; args: unknown[] } {
  const where = whereClause(filter);
  const text = searchText(filter);
  if (text && textPath === 'scan') {
    const scan = scanSql(where, likePatterns(text) ?? []);
    return { sql: [scan.sql], args: scan.args };
  }
  if (text) return { sql: [ftsSearchSql(where.sql)], args: [ftsPhrase(text), ...where.args] };
  return {
    sql: [
      `SELECT COUNT(*) AS n FROM images i WHERE ${where.sql}`,
      // OFFSET is stepped over in the index alone; only the page's own rows are read and joined.
      `${select} WHERE i.id IN (SELECT i.id FROM images i WHERE ${where.sql} ORDER BY i.id LIMIT ? OFFSET ?) ORDER BY i.id`,
    ],
    args: where.args,
  };
}

/** Whether a filter has conditions besides the text that the path index holds (class, split), which its scan checks first. */
export function narrowsScan(filter: ImageFilter): boolean {
  return filter.classId !== undefined || filter.split !== undefined || filter.unlabeled !== undefined;
}

/** Every image id a text filter matches, in no particular order. */
function matchingIds(db: Db, filter: ImageFilter): number[] {
  const where = whereClause(filter);
  const plan = planNameSearch(db, searchText(filter), filter.datasetId, filter.missing ? 1 : 0, narrowsScan(filter));
  if (plan.kind === 'index') return pluck(db, ftsSearchSql(where.sql)).all(plan.phrase, ...where.args) as number[];
  const scan = scanSql(where, plan.patterns);
  return pluck(db, scan.sql).all(...scan.args) as number[];
}

/**
 * One page of images in import order (path order) plus how many match in all. A text search
 * scans the path index once for the matching ids (counting and paging them in memory) instead of
 * scanning twice, once to count and once to page. Counts and id lists are reused while the
 * database is unchanged, so scrolling through a filter only pays for its first page.
 */
export function queryImages(db: Db, query: ImageFilter & { offset: number; limit: number }): { total: number; images: ImageRow[] } {
  const dataset = getDataset(db, query.datasetId);
  const { sql, args } = imageQuerySql(query);
  const key = `${sql[0]}|${JSON.stringify(args)}`;
  let total: number;
  let rows: Row[];
  if (sql.length === 1) {
    const ids = cachedQuery(db, key, () => matchingIds(db, query).sort((a, b) => a - b));
    total = ids.length;
    const page = ids.slice(query.offset, query.offset + query.limit);
    rows = stmt(db, `${select} WHERE i.id IN (SELECT value FROM json_each(?)) ORDER BY i.id`).all(JSON.stringify(page)) as Row[];
  } else {
    total = cachedQuery(db, key, () => (stmt(db, sql[0]!).get(...args) as { n: number }).n);
    rows = stmt(db, sql[1]!).all(...args, query.limit, query.offset) as Row[];
  }
  return { total, images: rows.map((r) => toImageRow(dataset.root, r)) };
}

export function getImage(db: Db, imageId: number): ImageDetail {
  const row = stmt(
    db,
    `SELECT ${columns}, i.hash, i.mtime, i.orientation, i.created_at, d.root FROM images i
     JOIN datasets d ON d.id = i.dataset_id LEFT JOIN classes c ON c.id = i.class_id WHERE i.id = ?`,
  ).get(imageId) as (Row & { hash: string | null; mtime: number; orientation: number | null; created_at: string; root: string }) | undefined;
  if (!row) throw new ApiError('not_found', `There is no image with id ${imageId}.`);
  return { ...toImageRow(row.root, row), hash: row.hash, mtime: row.mtime, orientation: row.orientation, createdAt: row.created_at };
}
