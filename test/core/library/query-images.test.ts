import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageFilter } from '../../../src/shared/api/library.js';
import { getImage, imageQuerySql, queryImages } from '../../../src/core/library/query-images.js';
import { sandbox, type Sandbox } from './fixtures.js';

let box: Sandbox;
let classIds: number[];
const N = 3000;

/** Row i: class i % 4 (3 = unlabeled), split by i % 3, an error every 50th, missing every 100th. */
beforeAll(() => {
  box = sandbox();
  const db = box.ctx.db;
  db.prepare("INSERT INTO datasets (id, name, root) VALUES (1, 'big', '/data/big'), (2, 'other', '/data/other')").run();
  classIds = ['apple', 'pear', 'plum'].map((name, k) => Number(db.prepare('INSERT INTO classes (dataset_id, name, color) VALUES (1, ?, ?)').run(name, `#00000${k}`).lastInsertRowid));
  const insert = db.prepare(
    'INSERT INTO images (dataset_id, rel_path, hash, size, class_id, split, error, missing) VALUES (?, ?, ?, 100, ?, ?, ?, ?)',
  );
  db.transaction(() => {
    for (let i = 0; i < N; i++) {
      insert.run(1, `folder_${i % 7}/img_${String(i).padStart(5, '0')}${i % 10 === 0 ? '_50%_off' : ''}.jpg`, `h${i}`, classIds[i % 4] ?? null, ['train', 'val', 'test'][i % 3], i % 50 === 0 ? 'corrupt' : null, i % 100 === 0 ? 1 : 0);
    }
    for (let i = 0; i < 10; i++) insert.run(2, `x${i}.jpg`, `o${i}`, null, null, null, 0);
  })();
});
afterAll(() => box.cleanup());

const present = (i: number) => i % 100 !== 0;
function expected(pred: (i: number) => boolean): number[] {
  return Array.from({ length: N }, (_, i) => i).filter((i) => present(i) && pred(i)).map((i) => i + 1);
}
function ids(filter: Omit<ImageFilter, 'datasetId'>, offset = 0, limit = 5000) {
  const r = queryImages(box.ctx.db, { datasetId: 1, ...filter, offset, limit });
  return { total: r.total, ids: r.images.map((i) => i.id) };
}

describe('queryImages', () => {
  it('pages through a dataset in id order with the total count', () => {
    const all = expected(() => true);
    const first = ids({}, 0, 100);
    expect(first.total).toBe(all.length);
    expect(first.ids).toEqual(all.slice(0, 100));
    expect(ids({}, 2900, 100).ids).toEqual(all.slice(2900, 3000));
    expect(ids({}, 10_000, 100)).toEqual({ total: all.length, ids: [] });
  });

  it('filters by class, unlabeled, split, errors and missing, alone and combined', () => {
    expect(ids({ classId: classIds[1] })).toEqual(expect.objectContaining({ ids: expected((i) => i % 4 === 1) }));
    expect(ids({ unlabeled: true }).ids).toEqual(expected((i) => i % 4 === 3));
    expect(ids({ split: 'val' }).ids).toEqual(expected((i) => i % 3 === 1));
    expect(ids({ hasError: true }).ids).toEqual(expected((i) => i % 50 === 0));
    expect(ids({ hasError: false }).total).toBe(expected((i) => i % 50 !== 0).length);
    expect(ids({ classId: classIds[0], split: 'test' }).ids).toEqual(expected((i) => i % 4 === 0 && i % 3 === 2));
    const missing = queryImages(box.ctx.db, { datasetId: 1, missing: true, offset: 0, limit: 100 });
    expect(missing.images.map((i) => i.id)).toEqual(Array.from({ length: N / 100 }, (_, k) => k * 100 + 1));
    expect(missing.images.every((i) => i.missing)).toBe(true);
  });

  it('matches text anywhere in the path, case-insensitively, with % and _ taken literally', () => {
    expect(ids({ text: 'IMG_0012' }).ids).toEqual(expected((i) => String(i).padStart(5, '0').startsWith('0012')));
    expect(ids({ text: 'folder_3/' }).total).toBe(expected((i) => i % 7 === 3).length);
    expect(ids({ text: '50%' }).ids).toEqual(expected((i) => i % 10 === 0));
    const paged = ids({ text: 'folder_2', split: 'train' }, 10, 20);
    const all = expected((i) => i % 7 === 2 && i % 3 === 0);
    expect(paged).toEqual({ total: all.length, ids: all.slice(10, 30) });
    expect(ids({ text: 'no such name' })).toEqual({ total: 0, ids: [] });
  });

  it('returns full rows with the absolute path and class name', () => {
    const [row] = queryImages(box.ctx.db, { datasetId: 1, classId: classIds[2], offset: 0, limit: 1 }).images;
    expect(row).toMatchObject({ path: '/data/big/folder_2/img_00002.jpg', relPath: 'folder_2/img_00002.jpg', name: 'img_00002.jpg', className: 'plum', split: 'test' });
    expect(getImage(box.ctx.db, row!.id)).toMatchObject({ hash: 'h2', missing: false });
    expect(() => getImage(box.ctx.db, 999_999)).toThrow(/no image with id 999999/);
    expect(() => queryImages(box.ctx.db, { datasetId: 77, offset: 0, limit: 1 })).toThrow(/no dataset with id 77/);
  });

  it('sees changes made since the last query, by this connection or another one', () => {
    const count = (filter: Omit<ImageFilter, 'datasetId'>) => queryImages(box.ctx.db, { datasetId: 1, ...filter, offset: 0, limit: 1 }).total;
    const before = { all: count({}), text: count({ text: 'fresh' }) };
    const id = Number(box.ctx.db.prepare("INSERT INTO images (dataset_id, rel_path, size) VALUES (1, 'fresh/one.jpg', 1)").run().lastInsertRowid);
    expect({ all: count({}), text: count({ text: 'fresh' }) }).toEqual({ all: before.all + 1, text: before.text + 1 });
    const other = new Database(box.ctx.paths.db);
    other.prepare('DELETE FROM images WHERE id = ?').run(id);
    other.close();
    expect({ all: count({}), text: count({ text: 'fresh' }) }).toEqual(before);
  });

  it('answers every filter from an index, without sorting the whole dataset', () => {
    const filters: Omit<ImageFilter, 'datasetId'>[] = [
      {}, { classId: 1 }, { unlabeled: true }, { split: 'val' }, { hasError: true }, { hasError: false }, { missing: true },
      { classId: 1, split: 'train' }, { text: 'img' }, { text: 'img', classId: 1, split: 'val' },
    ];
    const planOf = (q: string, args: unknown[]) =>
      (box.ctx.db.prepare(`EXPLAIN QUERY PLAN ${q}`).all(...args, ...(q.includes('LIMIT') ? [10, 0] : [])) as { detail: string }[]).map((p) => p.detail).join(' | ');
    for (const filter of filters) {
      const { sql, args } = imageQuerySql({ datasetId: 1, ...filter }, 'scan');
      for (const q of sql) {
        const plan = planOf(q, args);
        expect(plan, JSON.stringify(filter)).toMatch(/USING (COVERING )?INDEX images_/);
        expect(plan, JSON.stringify(filter)).not.toMatch(/TEMP B-TREE|SCAN i\b/);
      }
      if (!filter.text) continue;
      // Text of 3+ characters with few hits: the trigram index, then each hit's row by its id.
      const fts = imageQuerySql({ datasetId: 1, ...filter }, 'index');
      const plan = planOf(fts.sql[0]!, fts.args);
      expect(plan, JSON.stringify(filter)).toMatch(/SCAN f VIRTUAL TABLE INDEX \d+:M/);
      expect(plan, JSON.stringify(filter)).toMatch(/SEARCH i USING INTEGER PRIMARY KEY \(rowid=\?\)/);
      expect(plan, JSON.stringify(filter)).not.toMatch(/TEMP B-TREE|SCAN i\b/);
    }
  });
});
