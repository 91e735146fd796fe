import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ImageFilter } from '../../../shared/api/library.js';
import { createContext, type AppContext } from '../../context.js';
import { planNameSearch } from '../name-search.js';
import { imageQuerySql, narrowsScan } from '../query-images.js';
import { dispatch } from '../../transport/dispatch.js';

export interface QueryLatency {
  filter: string;
  /** Milliseconds per `images.query` call right after the library changed (nothing cached). */
  coldMs: number[];
  /** Milliseconds per call while scrolling the same filter (its count or id list reused). */
  warmMs: number[];
  matched: number;
  /** SQLite's plan for the filter's queries (count and page), one line per query. */
  plan: string[];
}

/**
 * A library of `images` rows inserted directly (no files): 20 classes with 10% unlabeled, a 70/15/15
 * split, 1% errors, 0.5% missing, paths like a real photo collection.
 */
export function fillLibrary(ctx: AppContext, images: number): number {
  const db = ctx.db;
  const datasetId = Number(db.prepare("INSERT INTO datasets (name, root) VALUES ('bench', '/bench/photos')").run().lastInsertRowid);
  const classIds = Array.from({ length: 20 }, (_, k) =>
    Number(db.prepare('INSERT INTO classes (dataset_id, name, color) VALUES (?, ?, ?)').run(datasetId, `class_${k}`, '#4e79a7').lastInsertRowid),
  );
  const insert = db.prepare(
    `INSERT INTO images (dataset_id, rel_path, hash, size, mtime, width, height, format, class_id, split, split_source, error, missing)
     VALUES (?, ?, ?, 48000, 0, 500, 375, 'jpeg', ?, ?, 'assigned', ?, ?)`,
  );
  db.transaction(() => {
    for (let i = 0; i < images; i++) {
      const h = (Math.imul(i + 1, 2654435761) >>> 0) % 1000;
      const cls = h < 100 ? null : classIds[h % 20]!;
      const s = Math.floor(h / 20) % 20;
      const split = s < 14 ? 'train' : s < 17 ? 'val' : 'test';
      const folder = cls === null ? 'inbox' : `class_${h % 20}`;
      insert.run(datasetId, `${folder}/IMG_${String(i).padStart(6, '0')}.jpg`, i.toString(16).padStart(40, '0'), cls, split, h % 100 === 7 ? 'corrupt image' : null, h % 200 === 3 ? 1 : 0);
    }
  })();
  return datasetId;
}

/** EXPLAIN QUERY PLAN of each query a filter runs, condensed to one line per query. */
export function queryPlan(ctx: AppContext, filter: ImageFilter): string[] {
  const text = filter.text?.trim() ?? '';
  const path = text ? planNameSearch(ctx.db, text, filter.datasetId, filter.missing ? 1 : 0, narrowsScan(filter)).kind : 'index';
  const { sql, args } = imageQuerySql(filter, path);
  return sql.map((q) =>
    (ctx.db.prepare(`EXPLAIN QUERY PLAN ${q}`).all(...args, ...(q.includes('LIMIT') ? [200, 0] : [])) as { detail: string }[])
      .map((p) => p.detail)
      .join('; '),
  );
}

/** True when every query of a plan reads an index (or the trigram index, then rows by id) and none scans the table or sorts. */
export function planUsesIndexes(plan: readonly string[]): boolean {
  const indexed = (q: string) => /USING (COVERING )?INDEX images_/.test(q) || /VIRTUAL TABLE INDEX \d+:M.*USING INTEGER PRIMARY KEY/.test(q);
  return plan.every((q) => indexed(q) && !/TEMP B-TREE|SCAN i\b(?! USING)/.test(q));
}

/** The filters the library grid offers, alone and combined. */
export function benchFilters(datasetId: number, classId: number): Record<string, ImageFilter> {
  return {
    all: { datasetId },
    class: { datasetId, classId },
    unlabeled: { datasetId, unlabeled: true },
    split: { datasetId, split: 'val' },
    'has error': { datasetId, hasError: true },
    'class + split': { datasetId, classId, split: 'train' },
    'file name text': { datasetId, text: 'IMG_00' },
    'file name text + class': { datasetId, text: 'IMG_00', classId },
  };
}

/**
 * Times `images.query` pages of 200 for every filter on a library of `images` rows: cold calls
 * (after a write, as when a filter is first chosen) and warm calls (scrolling on), at offsets from
 * the first page to the last, where OFFSET costs most.
 */
export async function measureQueries(images: number, callsPerFilter: number, signal?: AbortSignal): Promise<QueryLatency[]> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'smallset-bench-query-'));
  const ctx = createContext(dataDir);
  try {
    const datasetId = fillLibrary(ctx, images);
    const classId = ctx.db.prepare('SELECT MIN(id) FROM classes WHERE dataset_id = ?').pluck().get(datasetId) as number;
    const touch = ctx.db.prepare('UPDATE datasets SET name = name WHERE id = ?');
    const out: QueryLatency[] = [];
    for (const [name, filter] of Object.entries(benchFilters(datasetId, classId))) {
      if (signal?.aborted) break;
      const first = (await dispatch(ctx, 'images.query', { ...filter, limit: 1 })) as { total: number };
      const result: QueryLatency = { filter: name, coldMs: [], warmMs: [], matched: first.total, plan: queryPlan(ctx, filter) };
      for (let k = 0; k < callsPerFilter; k++) {
        const offset = Math.floor(((k % 10) / 9) * Math.max(0, first.total - 200));
        for (const cold of [true, false]) {
          if (cold) touch.run(datasetId);
          const started = performance.now();
          await dispatch(ctx, 'images.query', { ...filter, offset, limit: 200 });
          (cold ? result.coldMs : result.warmMs).push(performance.now() - started);
        }
      }
      out.push(result);
    }
    return out;
  } finally {
    ctx.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
