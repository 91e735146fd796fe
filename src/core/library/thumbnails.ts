import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { MAX_PIXELS } from './image-formats.js';

export const THUMB_SIZE = 256;
export const THUMB_MIME = 'image/webp';

/** Thumbnails are shared by content: two files with the same bytes share one thumbnail. */
export function thumbPath(thumbsDir: string, hash: string): string {
  return path.join(thumbsDir, hash.slice(0, 2), `${hash}.webp`);
}

export async function hasThumbnail(thumbsDir: string, hash: string): Promise<boolean> {
  try {
    await fs.access(thumbPath(thumbsDir, hash));
    return true;
  } catch {
    return false;
  }
}

/**
 * The thumbnail of `input`: EXIF-rotated, longest side 256, WebP (effort 0: encoding is a large
 * part of an import's time). Decoding the whole image here is also what proves the file is not
 * corrupt or truncated: a decode failure rejects with sharp's error.
 */
export function renderThumbnail(input: Buffer | string): Promise<Buffer> {
  return sharp(input, { failOn: 'truncated', limitInputPixels: MAX_PIXELS })
    .rotate()
    .resize(THUMB_SIZE, THUMB_SIZE, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 75, effort: 0 })
    .toBuffer();
}

let tmpCounter = 0;
const madeDirs = new Set<string>();

/**
 * Stores thumbnail bytes under their hash. Written to a temporary name and renamed, so a crash
 * never leaves half a thumbnail. Disk failures reject with an errno error (`code` set).
 */
export async function storeThumbnail(bytes: Buffer, thumbsDir: string, hash: string, retry = true): Promise<string> {
  const target = thumbPath(thumbsDir, hash);
  const dir = path.dirname(target);
  if (!madeDirs.has(dir)) {
    await fs.mkdir(dir, { recursive: true });
    madeDirs.add(dir);
  }
  const tmp = `${target}.${process.pid}.${tmpCounter++}.tmp`;
  try {
    await fs.writeFile(tmp, bytes);
    await fs.rename(tmp, target);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    // The folder may have been removed since (cache cleared, dataset forgotten): make it again once.
    if (retry && (err as NodeJS.ErrnoException).code === 'ENOENT') {
      madeDirs.delete(dir);
      return storeThumbnail(bytes, thumbsDir, hash, false);
    }
    throw err;
  }
  return target;
}

/**
 * Renders and stores the thumbnail of `input`: a decode failure rejects with sharp's error, a disk
 * failure with an errno error (`code` set), so callers can tell them apart.
 */
export async function writeThumbnail(input: Buffer | string, thumbsDir: string, hash: string): Promise<string> {
  return storeThumbnail(await renderThumbnail(input), thumbsDir, hash);
}
