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

/** Decoded pixels, 8 bits per channel, row-major, `channels` interleaved (1–4: grey, grey+alpha, RGB, RGBA). */
export interface RawPixels {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

/**
 * The thumbnail's pixels: EXIF-rotated, longest side 256, sRGB, 8 bits. Decoding the whole image
 * here is also what proves the file is not corrupt or truncated: a decode failure rejects with
 * sharp's error. One decode feeds both the WebP thumbnail and the quality measures.
 */
export async function thumbnailPixels(input: Buffer | string): Promise<RawPixels> {
  const { data, info } = await sharp(input, { failOn: 'truncated', limitInputPixels: MAX_PIXELS })
    .rotate()
    .resize(THUMB_SIZE, THUMB_SIZE, { fit: 'inside', withoutEnlargement: true })
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, channels: info.channels };
}

/** WebP bytes of thumbnail pixels (effort 0: encoding is a large part of an import's time). */
export function encodeThumbnail(px: RawPixels): Promise<Buffer> {
  return sharp(px.data, { raw: { width: px.width, height: px.height, channels: px.channels } })
    .webp({ quality: 75, effort: 0 })
    .toBuffer();
}

/** The WebP thumbnail of `input`; rejects with sharp's error when the image cannot be decoded. */
export async function renderThumbnail(input: Buffer | string): Promise<Buffer> {
  return encodeThumbnail(await thumbnailPixels(input));
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
