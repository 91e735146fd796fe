import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/shared/api/errors.js';
import type { JobProgress } from '../../../src/shared/api/events.js';
import { importFolder } from '../../../src/core/library/import-folder.js';
import { queryImages } from '../../../src/core/library/query-images.js';
import { thumbPath } from '../../../src/core/library/thumbnails.js';
import { countRows, sandbox, writeImage, writeTree, type Sandbox } from './fixtures.js';

let box: Sandbox;
beforeEach(() => {
  box = sandbox();
});
afterEach(() => box.cleanup());

function allImages(datasetId: number) {
  return queryImages(box.ctx.db, { datasetId, offset: 0, limit: 5000 }).images;
}

describe('importFolder', () => {
  it('turns class folders into classes and leaves loose files unlabeled', async () => {
    await writeTree(box.at('pets'), ['cat/a.jpg', 'cat/b.jpg', 'dog/c.jpg', 'dog/deeper/d.jpg', 'loose.jpg']);
    const result = await importFolder(box.ctx, { path: box.at('pets') });
    expect(result.imported).toBe(5);
    expect(result.errors).toEqual([]);
    expect(result.classes).toEqual({ cat: 2, dog: 2 });
    const byPath = Object.fromEntries(allImages(result.datasetId).map((i) => [i.relPath, i.className]));
    expect(byPath).toEqual({ 'cat/a.jpg': 'cat', 'cat/b.jpg': 'cat', 'dog/c.jpg': 'dog', 'dog/deeper/d.jpg': 'dog', 'loose.jpg': null });
  });

  it('reads split folders (valid and validation become val) and marks them as folder splits', async () => {
    await writeTree(box.at('ds'), ['train/cat/1.jpg', 'train/dog/2.jpg', 'valid/cat/3.jpg', 'Validation/dog/4.jpg', 'test/cat/5.png', 'TEST/x.jpg']);
    const result = await importFolder(box.ctx, { path: box.at('ds'), name: 'Split layout' });
    expect(result.splits).toEqual({ train: 2, val: 2, test: 2 });
    expect(result.classes).toEqual({ cat: 3, dog: 2 });
    const rows = box.ctx.db.prepare('SELECT rel_path, split, split_source FROM images ORDER BY rel_path').all();
    expect(rows).toEqual([
      { rel_path: 'TEST/x.jpg', split: 'test', split_source: 'folder' },
      { rel_path: 'Validation/dog/4.jpg', split: 'val', split_source: 'folder' },
      { rel_path: 'test/cat/5.png', split: 'test', split_source: 'folder' },
      { rel_path: 'train/cat/1.jpg', split: 'train', split_source: 'folder' },
      { rel_path: 'train/dog/2.jpg', split: 'train', split_source: 'folder' },
      { rel_path: 'valid/cat/3.jpg', split: 'val', split_source: 'folder' },
    ]);
    expect(allImages(result.datasetId).find((i) => i.relPath === 'TEST/x.jpg')?.classId).toBeNull();
  });

  it('records size, EXIF-rotated dimensions, format and orientation, and makes a rotated JPEG thumbnail (WebP with alpha)', async () => {
    await writeImage(box.at('m', 'portrait.jpg'), { width: 60, height: 20, orientation: 6 });
    await writeImage(box.at('m', 'wide.png'), { width: 600, height: 300, format: 'png', seed: 2 });
    await writeImage(box.at('m', 'anim.gif'), { format: 'gif', seed: 3 });
    await writeImage(box.at('m', 'scan.tiff'), { format: 'tiff', seed: 4 });
    await writeImage(box.at('m', 'modern.avif'), { format: 'avif', seed: 5 });
    await writeImage(box.at('m', 'web.webp'), { format: 'webp', seed: 6 });
    const alpha = Buffer.alloc(40 * 30 * 4, 200);
    for (let i = 3; i < alpha.length; i += 4) alpha[i] = i % 7 === 0 ? 0 : 255;
    await sharp(alpha, { raw: { width: 40, height: 30, channels: 4 } }).png().toFile(box.at('m', 'see-through.png'));
    const result = await importFolder(box.ctx, { path: box.at('m') });
    expect(result.errors).toEqual([]);
    const rows = box.ctx.db.prepare('SELECT rel_path, width, height, format, orientation, size, hash FROM images ORDER BY rel_path').all() as {
      rel_path: string; width: number; height: number; format: string; orientation: number | null; size: number; hash: string;
    }[];
    const byPath = Object.fromEntries(rows.map((r) => [r.rel_path, r]));
    expect(byPath['portrait.jpg']).toMatchObject({ width: 20, height: 60, format: 'jpeg', orientation: 6 });
    expect(byPath['wide.png']).toMatchObject({ width: 600, height: 300, format: 'png', orientation: null });
    expect(rows.map((r) => r.format).sort()).toEqual(['avif', 'gif', 'jpeg', 'png', 'png', 'tiff', 'webp']);
    const portrait = byPath['portrait.jpg']!;
    expect(portrait.size).toBe(statSync(box.at('m', 'portrait.jpg')).size);
    expect(portrait.hash).toBe(createHash('sha1').update(readFileSync(box.at('m', 'portrait.jpg'))).digest('hex'));

    const thumb = await sharp(thumbPath(box.ctx.paths.thumbs, portrait.hash)).metadata();
    expect(thumb).toMatchObject({ format: 'jpeg', width: 20, height: 60 });
    const seeThrough = await sharp(thumbPath(box.ctx.paths.thumbs, byPath['see-through.png']!.hash, 'webp')).metadata();
    expect(seeThrough).toMatchObject({ format: 'webp', hasAlpha: true, width: 40, height: 30 });
    const wideThumb = await sharp(thumbPath(box.ctx.paths.thumbs, byPath['wide.png']!.hash)).metadata();
    expect([wideThumb.width, wideThumb.height]).toEqual([256, 128]);
  });

  it('imports identical files once and reports each duplicate with the file it repeats', async () => {
    const bytes = await writeImage(box.at('d', 'a', 'first.jpg'), { seed: 7 });
    mkdirSync(box.at('d', 'b'), { recursive: true });
    writeFileSync(box.at('d', 'b', 'copy.jpg'), bytes);
    writeFileSync(box.at('d', 'b', 'copy2.jpg'), bytes);
    await writeImage(box.at('d', 'b', 'other.jpg'), { seed: 8 });
    const result = await importFolder(box.ctx, { path: box.at('d') });
    expect(result.imported).toBe(2);
    expect(result.duplicates).toBe(2);
    expect(result.duplicateFiles).toEqual([
      { path: 'b/copy.jpg', sameAs: 'a/first.jpg' },
      { path: 'b/copy2.jpg', sameAs: 'a/first.jpg' },
    ]);
    expect(countRows(box.ctx, 'SELECT COUNT(*) AS n FROM images')).toBe(2);
  });

  it('handles non-ASCII names, skips hidden files and folders and non-image files', async () => {
    await writeTree(box.at('u'), ['café/ñandú 日本.jpg', 'Ünïcode класс/фото.png', '.git/objects/x.jpg', 'cat/.hidden.jpg', '.DS_Store.jpg']);
    writeFileSync(box.at('u', 'notes.txt'), 'not an image');
    writeFileSync(box.at('u', '.DS_Store'), 'junk');
    const result = await importFolder(box.ctx, { path: box.at('u') });
    expect(result.errors).toEqual([]);
    expect(result.classes).toEqual({ café: 1, 'Ünïcode класс': 1 });
    const images = allImages(result.datasetId);
    expect(images.map((i) => i.relPath).sort()).toEqual(['café/ñandú 日本.jpg', 'Ünïcode класс/фото.png']);
    expect(images.every((i) => existsSync(i.path))).toBe(true);
  });

  it('never modifies, moves or writes next to the originals', async () => {
    await writeTree(box.at('o'), ['cat/a.jpg', 'dog/b.png']);
    const before = ['cat/a.jpg', 'dog/b.png'].map((p) => ({ bytes: readFileSync(box.at('o', p)), mtime: statSync(box.at('o', p)).mtimeMs }));
    await importFolder(box.ctx, { path: box.at('o') });
    const after = ['cat/a.jpg', 'dog/b.png'].map((p) => ({ bytes: readFileSync(box.at('o', p)), mtime: statSync(box.at('o', p)).mtimeMs }));
    expect(after).toEqual(before);
    expect(readdirSorted(box.at('o'))).toEqual(['cat', 'cat/a.jpg', 'dog', 'dog/b.png']);
  });

  it('names the folder when it does not exist or is a file', async () => {
    const nowhere = box.at('nowhere');
    await expect(importFolder(box.ctx, { path: nowhere })).rejects.toMatchObject({ code: 'not_found', message: expect.stringContaining(nowhere) });
    await writeImage(box.at('single.jpg'));
    const err = await importFolder(box.ctx, { path: box.at('single.jpg') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'invalid_input', message: expect.stringContaining(box.at('single.jpg')) });
  });

  it('refuses a second import of the same folder or a taken name, and picks a free default name', async () => {
    await writeTree(box.at('one', 'photos'), ['a.jpg']);
    await writeTree(box.at('two', 'photos'), ['b.jpg'], 5);
    await importFolder(box.ctx, { path: box.at('one', 'photos') });
    await expect(importFolder(box.ctx, { path: box.at('one', 'photos') })).rejects.toMatchObject({ code: 'conflict' });
    await expect(importFolder(box.ctx, { path: box.at('two', 'photos'), name: 'photos' })).rejects.toMatchObject({ code: 'conflict' });
    const second = await importFolder(box.ctx, { path: box.at('two', 'photos') });
    expect(box.ctx.db.prepare('SELECT name FROM datasets WHERE id = ?').pluck().get(second.datasetId)).toBe('photos (2)');
  });

  it('reports progress on its job and commits nothing when cancelled', async () => {
    await writeTree(box.at('big'), Array.from({ length: 24 }, (_, i) => `c${i % 3}/img${i}.jpg`));
    const events: JobProgress[] = [];
    const off = box.ctx.events.onAny((name, payload) => {
      if (name === 'job.progress') events.push(payload as JobProgress);
    });
    const running = importFolder(box.ctx, { path: box.at('big'), jobId: 'imp-1' });
    // Cancel as soon as the first image has been read.
    await new Promise<void>((resolve) => {
      const stop = box.ctx.events.onAny((name, payload) => {
        const p = payload as JobProgress;
        if (name === 'job.progress' && p.phase === 'reading images' && p.done >= 1) {
          box.ctx.jobs.cancel('imp-1');
          stop();
          resolve();
        }
      });
    });
    await expect(running).rejects.toMatchObject({ code: 'cancelled' });
    expect(countRows(box.ctx, 'SELECT COUNT(*) AS n FROM datasets')).toBe(0);
    expect(countRows(box.ctx, 'SELECT COUNT(*) AS n FROM images')).toBe(0);

    const done = await importFolder(box.ctx, { path: box.at('big'), jobId: 'imp-2' });
    off();
    expect(done.imported).toBe(24);
    const last = events.filter((e) => e.jobId === 'imp-2' && e.phase === 'reading images').at(-1);
    expect(last).toMatchObject({ kind: 'import', done: 24, total: 24 });
  });

  it('gives every image without a folder split a default stratified split', async () => {
    await writeTree(box.at('s'), Array.from({ length: 40 }, (_, i) => `${i < 20 ? 'a' : 'b'}/${i}.jpg`));
    const result = await importFolder(box.ctx, { path: box.at('s') });
    expect(result.splits).toEqual({ train: 28, val: 6, test: 6 });
    const perClass = box.ctx.db
      .prepare('SELECT c.name, i.split, COUNT(*) AS n FROM images i JOIN classes c ON c.id = i.class_id GROUP BY c.name, i.split ORDER BY c.name, i.split')
      .all();
    expect(perClass).toEqual([
      { name: 'a', split: 'test', n: 3 },
      { name: 'a', split: 'train', n: 14 },
      { name: 'a', split: 'val', n: 3 },
      { name: 'b', split: 'test', n: 3 },
      { name: 'b', split: 'train', n: 14 },
      { name: 'b', split: 'val', n: 3 },
    ]);
  });
});

function readdirSorted(root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(root, rel))) {
      const child = rel ? `${rel}/${name}` : name;
      out.push(child);
      if (statSync(path.join(root, child)).isDirectory()) walk(child);
    }
  };
  walk('');
  return out.sort();
}
