import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { createContext, type AppContext } from '../../../src/core/context.js';
import { photoLike } from './helpers.js';

export interface TestLibrary {
  ctx: AppContext;
  dir: string;
  imageId: number;
  imagePath: string;
  cleanup(): void;
}

/** A real data folder and SQLite library holding one JPEG photo of `width`×`height`. */
export async function libraryWithPhoto(width = 400, height = 300): Promise<TestLibrary> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'smallset-augment-'));
  const photos = path.join(dir, 'photos', 'cats');
  await import('node:fs/promises').then((fs) => fs.mkdir(photos, { recursive: true }));
  const imagePath = path.join(photos, 'cat.jpg');
  const raw = photoLike(width, height, 11);
  await sharp(raw.data, { raw: { width, height, channels: 3 } }).jpeg({ quality: 92 }).toFile(imagePath);
  const ctx = createContext(path.join(dir, 'data'));
  const ds = ctx.db.prepare('INSERT INTO datasets (name, root) VALUES (?, ?)').run('pets', path.join(dir, 'photos'));
  const img = ctx.db
    .prepare('INSERT INTO images (dataset_id, rel_path, hash, size, mtime, width, height, format) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    .run(ds.lastInsertRowid, 'cats/cat.jpg', createHash('sha1').update(readFileSync(imagePath)).digest('hex'), 1000, 1, width, height, 'jpeg');
  return {
    ctx,
    dir,
    imageId: Number(img.lastInsertRowid),
    imagePath,
    cleanup() {
      ctx.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
