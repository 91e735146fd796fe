import type { Db } from '../db/open-db.js';
import { pluck, stmt } from './statements.js';

/**
 * File-name search: case-insensitive substring match on an image's path relative to its dataset
 * folder (letters of every script, not only ASCII, match in either case).
 *
 * Text of 3 or more characters is looked up in the trigram index `images_path_fts` (migration
 * 0010), which finds the matching rows without reading every path. When the text is so common that
 * looking up every hit would cost more than reading the dataset's paths once (a folder name, ".jpg"),
 * and for 1–2 characters, which a trigram index cannot answer, the path index is scanned with LIKE
 * instead. Both give the same rows.
 */

/** A phrase of trigrams: every character taken literally, `"` doubled. */
export function ftsPhrase(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

export function charCount(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** The trigram index answers text of at least this many characters. */
export const MIN_INDEXED_CHARS = 3;

/**
 * Reading a hit's row costs about four to five times checking one path in the LIKE scan (measured
 * on 100k rows), so the index is used while its hits are fewer than a fifth of the dataset's rows.
 */
const SCAN_COST_RATIO = 5;

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/**
 * LIKE patterns that together match `text` anywhere, in either case. SQLite's LIKE folds ASCII
 * only, so each letter outside ASCII with another case is tried both ways: at most 2^k patterns
 * for k such letters (three ways for the few with a title case). Returns null when that would be
 * more than 9 patterns, which only text of 3 or more characters can need.
 */
export function likePatterns(text: string): string[] | null {
  let variants = [''];
  for (const ch of text) {
    const forms = ch.charCodeAt(0) < 128 ? [ch] : [...new Set([ch, ch.toLowerCase(), ch.toUpperCase()])].filter((f) => charCount(f) === 1);
    variants = variants.flatMap((v) => forms.map((f) => v + escapeLike(f)));
    if (variants.length > 9) return null;
  }
  return variants.map((v) => `%${v}%`);
}

/** The condition and arguments for a LIKE scan of `i.rel_path` (alias `i`). */
export function likeCondition(patterns: readonly string[]): string {
  return `(${patterns.map(() => "i.rel_path LIKE ? ESCAPE '\\'").join(' OR ')})`;
}

/** Counts the trigram index's hits for a phrase, stopping after `limit` (no table is read). */
const probeSql = 'SELECT count(*) FROM (SELECT 1 FROM images_path_fts WHERE images_path_fts MATCH ? LIMIT ?)';

/** The ids of the trigram index's hits that pass the rest of a filter; arguments: the phrase, then the filter's. */
export function ftsSearchSql(where: string): string {
  return `SELECT i.id FROM images_path_fts f JOIN images i ON i.id = f.rowid WHERE images_path_fts MATCH ? AND ${where}`;
}

/** The smallest and largest id of a dataset's rows with this `missing` flag (two index seeks). */
function idRange(db: Db, datasetId: number, missing: number): { lo: number; hi: number } | null {
  const row = stmt(
    db,
    'SELECT (SELECT min(id) FROM images WHERE dataset_id = ? AND missing = ?) AS lo, (SELECT max(id) FROM images WHERE dataset_id = ? AND missing = ?) AS hi',
  ).get(datasetId, missing, datasetId, missing) as { lo: number | null; hi: number | null };
  return row.lo === null || row.hi === null ? null : { lo: row.lo, hi: row.hi };
}

export type NameSearchPlan = { kind: 'index'; phrase: string } | { kind: 'scan'; patterns: string[] };

/**
 * How to find the rows whose path holds `text`: the trigram index when its hits are few enough,
 * else the LIKE patterns to scan the dataset's paths with. `narrowed`: the filter also has a class
 * or split condition, which the path index holds.
 */
export function planNameSearch(db: Db, text: string, datasetId: number, missing: number, narrowed = false): NameSearchPlan {
  const patterns = likePatterns(text);
  // 1–2 characters never need more than 9 patterns.
  if (charCount(text) < MIN_INDEXED_CHARS && patterns) return { kind: 'scan', patterns };
  const phrase = ftsPhrase(text);
  if (!patterns) return { kind: 'index', phrase };
  // With a class or split the scan checks the text only on the rows that pass them, and counting
  // the index's hits to decide would cost as much as that scan.
  if (narrowed) return { kind: 'scan', patterns };
  const range = idRange(db, datasetId, missing);
  if (!range) return { kind: 'index', phrase };
  const limit = Math.max(100, Math.ceil((range.hi - range.lo + 1) / SCAN_COST_RATIO));
  const hits = pluck(db, probeSql).get(phrase, limit + 1) as number;
  return hits > limit ? { kind: 'scan', patterns } : { kind: 'index', phrase };
}
