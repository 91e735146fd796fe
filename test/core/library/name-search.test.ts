import { renameSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFolder } from '../../../src/core/library/import-folder.js';
import { likePatterns, planNameSearch } from '../../../src/core/library/name-search.js';
import { imageQuerySql, queryImages } from '../../../src/core/library/query-images.js';
import { rescanDataset } from '../../../src/core/library/rescan.js';
import { sandbox, writeImage, type Sandbox } from './fixtures.js';

let box: Sandbox;
const paths: string[] = [];

/**
 * 2000 rows in dataset 1 (and a few in dataset 2 that must never show up): ASCII names, names in
 * other scripts and names with characters FTS5 and LIKE treat specially.
 */
beforeAll(() => {
  box = sandbox('smallset-name-search-');
  const db = box.ctx.db;
  db.prepare("INSERT INTO datasets (id, name, root) VALUES (1, 'names', '/data/names'), (2, 'other', '/data/other')").run();
  const special = ['École/Été_àVélo.jpg', 'école/ÉTÉ 2024.png', 'Straße/Grüße.jpg', 'ΑΘΗΝΑ/παρθενώνας.jpg', 'кошки/Мурка.jpg',
    'quotes/say "cheese".jpg', 'ops/a OR b AND NOT c.jpg', 'ops/star*name.jpg', 'ops/100%_sure.jpg', 'ops/-dash^caret.jpg', '日本/東京タワー.jpg'];
  for (let i = 0; i < 2000; i++) paths.push(i < special.length ? special[i]! : `set_${i % 9}/IMG_${String(i).padStart(5, '0')}${i % 13 === 0 ? '_Copy' : ''}.jpg`);
  const insert = db.prepare('INSERT INTO images (dataset_id, rel_path, size, missing) VALUES (?, ?, 1, ?)');
  db.transaction(() => {
    paths.forEach((p) => insert.run(1, p, 0));
    for (const p of ['École/elsewhere.jpg', 'set_1/IMG_00001.jpg']) insert.run(2, p, 0);
  })();
});
afterAll(() => box.cleanup());

const fold = (s: string) => s.toLocaleLowerCase('und');
function expected(text: string): number[] {
  return paths.flatMap((p, i) => (fold(p).includes(fold(text)) ? [i + 1] : []));
}
function search(text: string, extra: { offset?: number; limit?: number } = {}) {
  const r = queryImages(box.ctx.db, { datasetId: 1, text, offset: extra.offset ?? 0, limit: extra.limit ?? 5000 });
  return { total: r.total, ids: r.images.map((img) => img.id) };
}

describe('file-name search', () => {
  it('finds text anywhere in the path, in either case, in every script, through the trigram index', () => {
    for (const text of ['été', 'ÉTÉ', 'école/', 'STRASSE'.slice(0, 3), 'grüße', 'GRÜSSE', 'αθην', 'ΠΑΡΘΕΝΏΝΑΣ', 'мурка', 'КОШКИ/', '東京タワ', 'img_0012', '_copy', 'IMG_01999']) {
      expect(planNameSearch(box.ctx.db, text, 1, 0).kind, text).toBe('index');
      expect(search(text).ids, text).toEqual(expected(text));
    }
    // ß has no one-letter capital: "GRÜSSE" is a different string, as in a plain substring search.
    expect(search('GRÜSSE').total).toBe(0);
  });

  it('takes every character literally: quotes, FTS5 operators, LIKE wildcards', () => {
    for (const text of ['say "cheese"', '"cheese', 'a OR b', 'NOT c', 'star*', '100%_', '%_s', '-dash^', 'AND']) {
      expect(search(text).ids, text).toEqual(expected(text));
      expect(search(text).total, text).toBeGreaterThan(0);
    }
    expect(search('a OR c').total).toBe(0);
    expect(search('1000%').total).toBe(0);
  });

  it('answers 1–2 characters with a scan, in either case, non-ASCII letters too', () => {
    for (const text of ['é', 'É', 'ÉT', 'ж', 'М', '%', '_', '"', '東', '7', 'Ω']) {
      expect(planNameSearch(box.ctx.db, text, 1, 0).kind, text).toBe('scan');
      expect(search(text).ids, text).toEqual(expected(text));
    }
    expect(likePatterns('ÉT')).toEqual(['%ÉT%', '%éT%']);
  });

  it('scans the paths instead when the text is in most of them, with the same answer', () => {
    for (const text of ['img_', '.jpg', 'set_']) {
      expect(planNameSearch(box.ctx.db, text, 1, 0).kind, text).toBe('scan');
      expect(search(text).ids, text).toEqual(expected(text));
      // The index would have given the same rows.
      const { sql, args } = imageQuerySql({ datasetId: 1, text }, 'index');
      const viaIndex = (box.ctx.db.prepare(sql[0]!).pluck().all(...args) as number[]).sort((a, b) => a - b);
      expect(viaIndex, text).toEqual(expected(text));
    }
  });

  it('leaves text with a class or split to the scan, which checks those first', () => {
    expect(planNameSearch(box.ctx.db, 'set_3/', 1, 0).kind).toBe('index');
    expect(planNameSearch(box.ctx.db, 'set_3/', 1, 0, true).kind).toBe('scan');
    const db = box.ctx.db;
    const classId = Number(db.prepare("INSERT INTO classes (dataset_id, name, color) VALUES (1, 'odd', '#000000')").run().lastInsertRowid);
    db.prepare('UPDATE images SET class_id = ? WHERE dataset_id = 1 AND id % 2 = 1').run(classId);
    const r = queryImages(db, { datasetId: 1, text: 'SET_3/', classId, offset: 0, limit: 5000 });
    expect(r.images.map((i) => i.id)).toEqual(expected('set_3/').filter((id) => id % 2 === 1));
    db.prepare('UPDATE images SET class_id = NULL').run();
    db.prepare('DELETE FROM classes WHERE id = ?').run(classId);
  });

  it('pages and counts index hits, combined with other filters, never from another dataset', () => {
    const all = expected('_copy');
    expect(search('_COPY', { offset: 20, limit: 30 })).toEqual({ total: all.length, ids: all.slice(20, 50) });
    expect(search('école').ids).toEqual([1, 2]);
    box.ctx.db.prepare('UPDATE images SET missing = 1 WHERE id = 2').run();
    expect(search('école').ids).toEqual([1]);
    expect(queryImages(box.ctx.db, { datasetId: 1, text: 'école', missing: true, offset: 0, limit: 10 }).images.map((i) => i.id)).toEqual([2]);
    box.ctx.db.prepare('UPDATE images SET missing = 0 WHERE id = 2').run();
  });
});

describe('file-name search follows the library', () => {
  it('finds imported files, renamed and moved files after a rescan, and forgets removed ones', async () => {
    const local = sandbox('smallset-name-search-rescan-');
    try {
      await writeImage(local.at('r', 'Chats', 'Minou_été.jpg'), { seed: 1 });
      await writeImage(local.at('r', 'Chats', 'tigré.png'), { seed: 2, format: 'png' });
      await writeImage(local.at('r', 'Chiens', 'Rex.jpg'), { seed: 3 });
      const { datasetId } = await importFolder(local.ctx, { path: local.at('r') });
      const names = (text: string) => queryImages(local.ctx.db, { datasetId, text, offset: 0, limit: 50 }).images.map((i) => i.relPath);
      expect(names('MINOU')).toEqual(['Chats/Minou_été.jpg']);
      expect(names('ÉTÉ')).toEqual(['Chats/Minou_été.jpg']);

      renameSync(local.at('r', 'Chats', 'Minou_été.jpg'), local.at('r', 'Chiens', 'Félix_hiver.jpg'));
      rmSync(local.at('r', 'Chats', 'tigré.png'));
      await writeImage(local.at('r', 'Oiseaux', 'Piaf_été.jpg'), { seed: 4 });
      const result = await rescanDataset(local.ctx, { datasetId });
      expect(result).toMatchObject({ moved: 1, added: 1, removed: 1 });

      expect(names('minou')).toEqual([]);
      expect(names('FÉLIX')).toEqual(['Chiens/Félix_hiver.jpg']);
      expect(names('été')).toEqual(['Oiseaux/Piaf_été.jpg']);
      // A removed file stays in the library as missing: it is found only among the missing.
      expect(names('tigré')).toEqual([]);
      expect(queryImages(local.ctx.db, { datasetId, text: 'TIGRÉ', missing: true, offset: 0, limit: 5 }).images.map((i) => i.relPath)).toEqual(['Chats/tigré.png']);
    } finally {
      local.cleanup();
    }
  });
});
