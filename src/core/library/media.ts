import { promises as fs } from 'node:fs';
import { ApiError } from '../../shared/api/errors.js';
import type { AppContext } from '../context.js';
import { mimeForFormat } from './image-formats.js';
import { getImage } from './query-images.js';
import { findThumbnail, writeThumbnail } from './thumbnails.js';

/** A file to send for an image id; the caller streams it and never learns ids from paths. */
export interface MediaFile {
  path: string;
  mime: string;
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * The thumbnail of a library image (JPEG, or WebP when it has alpha; longest side 256,
 * EXIF-rotated). Rebuilt from the
 * original if the cache was cleared. Unreadable and missing images have none: `not_found`.
 */
export async function thumbnailFile(ctx: AppContext, imageId: number): Promise<MediaFile> {
  const image = getImage(ctx.db, imageId);
  if (image.error !== null) throw new ApiError('not_found', `Image ${imageId} (${image.relPath}) has no thumbnail: ${image.error}.`);
  if (image.hash === null) throw new ApiError('not_found', `Image ${imageId} (${image.relPath}) has not been read yet.`);
  const stored = await findThumbnail(ctx.paths.thumbs, image.hash);
  if (stored) return stored;
  if (image.missing || !(await exists(image.path))) {
    throw new ApiError('not_found', `Image ${imageId}: the file "${image.path}" is no longer there; rescan the dataset.`);
  }
  try {
    await writeThumbnail(image.path, ctx.paths.thumbs, image.hash);
  } catch (err) {
    if (typeof (err as NodeJS.ErrnoException).code === 'string') throw err;
    throw new ApiError('not_found', `Image ${imageId} (${image.relPath}) cannot be decoded any more; rescan the dataset.`);
  }
  const made = await findThumbnail(ctx.paths.thumbs, image.hash);
  if (!made) throw new ApiError('not_found', `Image ${imageId} (${image.relPath}): its thumbnail was removed while it was being made; try again.`);
  return made;
}

/** The original file of a library image, read in place (never copied or modified). */
export async function imageFile(ctx: AppContext, imageId: number): Promise<MediaFile> {
  const image = getImage(ctx.db, imageId);
  if (image.missing || !(await exists(image.path))) {
    throw new ApiError('not_found', `Image ${imageId}: the file "${image.path}" is no longer there; rescan the dataset.`);
  }
  return { path: image.path, mime: mimeForFormat(image.format) };
}
