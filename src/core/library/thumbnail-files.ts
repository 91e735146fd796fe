import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';

/* Where thumbnails live, apart from making them (thumbnails.ts): finding and removing one does not load sharp. */

/**
 * Opaque images get JPEG thumbnails: encoding one costs about half of a WebP encode, and the import
 * makes one per image. Images with an alpha channel keep WebP, which keeps their transparency.
 * Thumbnails made before JPEG was used are .webp files and stay valid.
 */
export type ThumbFormat = 'jpeg' | 'webp';
const EXTENSION: Record<ThumbFormat, string> = { jpeg: 'jpg', webp: 'webp' };
export const THUMB_MIME: Record<ThumbFormat, string> = { jpeg: 'image/jpeg', webp: 'image/webp' };
const FORMATS: readonly ThumbFormat[] = ['jpeg', 'webp'];

/** Thumbnails are shared by content: two files with the same bytes share one thumbnail. */
export function thumbPath(thumbsDir: string, hash: string, format: ThumbFormat = 'jpeg'): string {
  return path.join(thumbsDir, hash.slice(0, 2), `${hash}.${EXTENSION[format]}`);
}

/** The stored thumbnail for a hash, in whichever format it was made; null when there is none. */
export async function findThumbnail(thumbsDir: string, hash: string): Promise<{ path: string; mime: string } | null> {
  for (const format of FORMATS) {
    const file = thumbPath(thumbsDir, hash, format);
    try {
      await fs.access(file);
      return { path: file, mime: THUMB_MIME[format] };
    } catch {
      // not in this format
    }
  }
  return null;
}

/**
 * Whether a thumbnail is stored for a hash. Asked once per file by every import and rescan: a
 * synchronous existence check costs a few microseconds, where two rejected `fs.promises.access`
 * calls (the usual answer, no thumbnail yet) cost about half a millisecond of error objects.
 */
export async function hasThumbnail(thumbsDir: string, hash: string): Promise<boolean> {
  return FORMATS.some((format) => existsSync(thumbPath(thumbsDir, hash, format)));
}

/** Deletes the thumbnail of a hash in every format (missing files are fine). */
export async function removeThumbnail(thumbsDir: string, hash: string): Promise<void> {
  await Promise.all(FORMATS.map((format) => fs.rm(thumbPath(thumbsDir, hash, format), { force: true })));
}
