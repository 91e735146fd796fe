import { existsSync, rmSync, writeFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFolder } from '../../../src/core/library/import-folder.js';
import { removeDataset } from '../../../src/core/library/datasets.js';
import { imageFile, thumbnailFile } from '../../../src/core/library/media.js';
import { thumbPath } from '../../../src/core/library/thumbnails.js';
import { sandbox, writeImage, type Sandbox } from './fixtures.js';

let box: Sandbox;
const id = (rel: string) => box.ctx.db.prepare('SELECT id FROM images WHERE rel_path = ?').pluck().get(rel) as number;
beforeEach(async () => {
  box = sandbox();
  await writeImage(box.at('m', 'cat', 'a.png'), { format: 'png', width: 300, height: 100 });
  writeFileSync(box.at('m', 'cat', 'broken.jpg'), 'nope');
  await importFolder(box.ctx, { path: box.at('m') });
});
afterEach(() => box.cleanup());

describe('media by image id', () => {
  it('gives the thumbnail and the original with their types', async () => {
    const thumb = await thumbnailFile(box.ctx, id('cat/a.png'));
    expect(thumb.mime).toBe('image/jpeg');
    expect(await sharp(thumb.path).metadata()).toMatchObject({ format: 'jpeg', width: 256 });
    expect(await imageFile(box.ctx, id('cat/a.png'))).toEqual({ path: box.at('m', 'cat', 'a.png'), mime: 'image/png' });
  });

  it('rebuilds a thumbnail that was removed from the cache', async () => {
    const first = await thumbnailFile(box.ctx, id('cat/a.png'));
    rmSync(first.path);
    const again = await thumbnailFile(box.ctx, id('cat/a.png'));
    expect(again.path).toBe(first.path);
    expect((await sharp(again.path).metadata()).format).toBe('jpeg');
  });

  it('still serves a WebP thumbnail made before thumbnails were JPEG, and forgets it with its dataset', async () => {
    const made = await thumbnailFile(box.ctx, id('cat/a.png'));
    const hash = box.ctx.db.prepare('SELECT hash FROM images WHERE id = ?').pluck().get(id('cat/a.png')) as string;
    const legacy = thumbPath(box.ctx.paths.thumbs, hash, 'webp');
    await sharp(made.path).webp().toFile(legacy);
    rmSync(made.path);
    expect(await thumbnailFile(box.ctx, id('cat/a.png'))).toEqual({ path: legacy, mime: 'image/webp' });
    const datasetId = box.ctx.db.prepare('SELECT dataset_id FROM images WHERE id = ?').pluck().get(id('cat/a.png')) as number;
    await removeDataset(box.ctx.db, box.ctx.paths.thumbs, datasetId);
    expect(existsSync(legacy)).toBe(false);
  });

  it('answers not_found for unknown ids, unreadable images and files that are gone', async () => {
    await expect(thumbnailFile(box.ctx, 4242)).rejects.toMatchObject({ code: 'not_found' });
    await expect(thumbnailFile(box.ctx, id('cat/broken.jpg'))).rejects.toMatchObject({ code: 'not_found', message: expect.stringContaining('cat/broken.jpg') });
    const thumb = await thumbnailFile(box.ctx, id('cat/a.png'));
    rmSync(thumb.path);
    rmSync(box.at('m', 'cat', 'a.png'));
    await expect(imageFile(box.ctx, id('cat/a.png'))).rejects.toMatchObject({ code: 'not_found', message: expect.stringContaining('a.png') });
    await expect(thumbnailFile(box.ctx, id('cat/a.png'))).rejects.toMatchObject({ code: 'not_found' });
  });
});
