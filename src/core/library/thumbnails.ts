import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { MAX_PIXELS } from './image-formats.js';

export const THUMB_SIZE = 256;

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

let tmpCounter = 0;

/**
 * Writes the thumbnail (EXIF-rotated, longest side 256, WebP) for `input`. Decoding the whole image
 * here is also what proves the file is not corrupt or truncated: a decode failure rejects with
 * sharp's error, a disk failure with an errno error (`code` set), so callers can tell them apart.
 * Written to a temporary name and renamed, so a crash never leaves half a thumbnail.
 */
export async function writeThumbnail(input: Buffer | string, thumbsDir: string, hash: string): Promise<string> {
  const webp = await sharp(input, { failOn: 'truncated', limitInputPixels: MAX_PIXELS })
    .rotate()
    .resize(THUMB_SIZE, THUMB_SIZE, { fit: 'inside', withoutEnlargement: true })
    // effort 0: thumbnails are for a grid, and encoding is most of the import's time.
    .webp({ quality: 75, effort: 0 })
    .toBuffer();
  const target = thumbPath(thumbsDir, hash);
  await fs.mkdir(path.dirname(target), { recursive: true });
  const tmp = `${target}.${process.pid}.${tmpCounter++}.tmp`;
  try {
    await fs.writeFile(tmp, webp);
    await fs.rename(tmp, target);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
  return target;
}
