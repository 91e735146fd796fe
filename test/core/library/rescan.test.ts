import { existsSync, mkdirSync, renameSync, rmSync, utimesSync, writeFileSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureClass } from '../../../src/core/library/classes.js';
import { importFolder } from '../../../src/core/library/import-folder.js';
import { labelImages } from '../../../src/core/library/labels.js';
import { queryImages } from '../../../src/core/library/query-images.js';
import { rescanDataset } from '../../../src/core/library/rescan.js';
import { thumbPath } from '../../../src/core/library/thumbnails.js';
import { sandbox, writeImage, writeTree, type Sandbox } from './fixtures.js';

let box: Sandbox;
beforeEach(() => {
  box = sandbox();
});
afterEach(() => box.cleanup());

interface Row {
  id: number;
  rel_path: string;
  hash: string;
  class_id: number | null;
  split: string | null;
  missing: number;
  width: number;
}
function rows(): Row[] {
  return box.ctx.db.prepare('SELECT id, rel_path, hash, class_id, split, missing, width FROM images ORDER BY id').all() as Row[];
}
const byPath = () => Object.fromEntries(rows().map((r) => [r.rel_path, r]));

describe('rescanDataset', () => {
  it('adds new files, marks removed ones missing and keeps their labels', async () => {
    await writeTree(box.at('r'), ['cat/a.jpg', 'cat/b.jpg', 'dog/c.jpg']);
    const { datasetId } = await importFolder(box.ctx, { path: box.at('r') });
    await writeImage(box.at('r', 'dog', 'new.jpg'), { seed: 50 });
    await writeImage(box.at('r', 'bird', 'first.jpg'), { seed: 51 });
    rmSync(box.at('r', 'cat', 'b.jpg'));

    const result = await rescanDataset(box.ctx, { datasetId });
    expect(result).toMatchObject({ added: 2, removed: 1, changed: 0, moved: 0, duplicates: 0, errors: [] });
    const now = byPath();
    expect(now['cat/b.jpg']).toMatchObject({ missing: 1 });
    expect(now['cat/b.jpg']!.class_id).not.toBeNull();
    expect(now['dog/new.jpg']!.split).not.toBeNull();
    const birds = queryImages(box.ctx.db, { datasetId, classId: now['bird/first.jpg']!.class_id!, offset: 0, limit: 10 });
    expect(birds.images.map((i) => i.className)).toEqual(['bird']);
    // Missing files are left out of queries and counts unless asked for.
    expect(queryImages(box.ctx.db, { datasetId, offset: 0, limit: 10 }).total).toBe(4);
    expect(queryImages(box.ctx.db, { datasetId, missing: true, offset: 0, limit: 10 }).images.map((i) => i.relPath)).toEqual(['cat/b.jpg']);

    // A second rescan with nothing changed changes nothing.
    expect(await rescanDataset(box.ctx, { datasetId })).toMatchObject({ added: 0, removed: 0, changed: 0, moved: 0 });
  });

  it('re-reads a changed file (new hash, size, dimensions and thumbnail) and keeps its label and split', async () => {
    await writeTree(box.at('c'), ['cat/a.jpg', 'cat/b.jpg']);
    const { datasetId } = await importFolder(box.ctx, { path: box.at('c') });
    const before = byPath()['cat/a.jpg']!;
    const other = box.ctx.db.prepare('SELECT id FROM classes WHERE name = ?').pluck().get('cat') as number;
    await writeImage(box.at('c', 'cat', 'a.jpg'), { seed: 99, width: 80, height: 60 });
    utimesSync(box.at('c', 'cat', 'a.jpg'), new Date(), new Date(Date.now() + 5000));

    const result = await rescanDataset(box.ctx, { datasetId });
    expect(result).toMatchObject({ added: 0, removed: 0, changed: 1, moved: 0 });
    const after = byPath()['cat/a.jpg']!;
    expect(after.id).toBe(before.id);
    expect(after.hash).not.toBe(before.hash);
    expect(after.width).toBe(80);
    expect(after.class_id).toBe(other);
    expect(after.split).toBe(before.split);
    expect(existsSync(thumbPath(box.ctx.paths.thumbs, after.hash))).toBe(true);
    expect(existsSync(thumbPath(box.ctx.paths.thumbs, before.hash))).toBe(false);
  });

  it('recognises a moved file by its content and keeps its id, label and split', async () => {
    await writeTree(box.at('m'), ['cat/a.jpg', 'cat/b.jpg', 'unsorted/x.jpg']);
    const { datasetId } = await importFolder(box.ctx, { path: box.at('m') });
    const x = byPath()['unsorted/x.jpg']!;
    const special = ensureClass(box.ctx.db, datasetId, 'special');
    labelImages(box.ctx.db, [x.id], special);
    mkdirSync(box.at('m', 'elsewhere', 'deep'), { recursive: true });
    renameSync(box.at('m', 'unsorted', 'x.jpg'), box.at('m', 'elsewhere', 'deep', 'renamed.jpg'));

    const result = await rescanDataset(box.ctx, { datasetId });
    expect(result).toMatchObject({ added: 0, removed: 0, moved: 1, changed: 0 });
    const moved = byPath()['elsewhere/deep/renamed.jpg']!;
    expect(moved).toMatchObject({ id: x.id, class_id: special, split: x.split, missing: 0 });
    expect(byPath()['unsorted/x.jpg']).toBeUndefined();
  });

  it('brings back a missing file with its label, and reports new copies of present files as duplicates', async () => {
    await writeTree(box.at('b'), ['cat/a.jpg', 'cat/b.jpg']);
    const { datasetId } = await importFolder(box.ctx, { path: box.at('b') });
    const saved = readFileSync(box.at('b', 'cat', 'b.jpg'));
    rmSync(box.at('b', 'cat', 'b.jpg'));
    expect(await rescanDataset(box.ctx, { datasetId })).toMatchObject({ removed: 1 });
    writeFileSync(box.at('b', 'cat', 'b.jpg'), saved);
    writeFileSync(box.at('b', 'cat', 'a-copy.jpg'), readFileSync(box.at('b', 'cat', 'a.jpg')));

    const result = await rescanDataset(box.ctx, { datasetId });
    expect(result).toMatchObject({ added: 1, removed: 0, duplicates: 1 });
    expect(byPath()['cat/b.jpg']).toMatchObject({ missing: 0 });
    expect(byPath()['cat/a-copy.jpg']).toBeUndefined();
  });

  it('refuses to rescan when the dataset folder is gone, marking nothing missing', async () => {
    await writeTree(box.at('gone'), ['cat/a.jpg']);
    const { datasetId } = await importFolder(box.ctx, { path: box.at('gone') });
    rmSync(box.at('gone'), { recursive: true });
    await expect(rescanDataset(box.ctx, { datasetId })).rejects.toMatchObject({ code: 'not_found', message: expect.stringContaining(box.at('gone')) });
    expect(rows().every((r) => r.missing === 0)).toBe(true);
  });

  it('retries files that had errors and clears the error once they read', async () => {
    await writeTree(box.at('e'), ['cat/a.jpg']);
    writeFileSync(box.at('e', 'cat', 'later.jpg'), Buffer.alloc(0));
    const { datasetId } = await importFolder(box.ctx, { path: box.at('e') });
    expect(queryImages(box.ctx.db, { datasetId, hasError: true, offset: 0, limit: 5 }).total).toBe(1);
    await writeImage(box.at('e', 'cat', 'later.jpg'), { seed: 77 });
    const result = await rescanDataset(box.ctx, { datasetId });
    expect(result).toMatchObject({ changed: 1, errors: [] });
    expect(queryImages(box.ctx.db, { datasetId, hasError: true, offset: 0, limit: 5 }).total).toBe(0);
    expect(byPath()['cat/later.jpg']!.split).not.toBeNull();
  });
});
