import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { fastThumbnailJpeg } from './fast-thumbnail.js';
import { MAX_PIXELS } from './image-formats.js';
import { writeSmallFile } from './small-files.js';
import { thumbPath, type ThumbFormat } from './thumbnail-files.js';

export { findThumbnail, hasThumbnail, removeThumbnail, THUMB_MIME, thumbPath, type ThumbFormat } from './thumbnail-files.js';

/**
 * Longest side of a thumbnail. The library grid shows tiles of 128–160 CSS px, so 256 px stays
 * sharp up to about 1.7× display scaling; the Quality view's 180 px review tile gets 1.4×.
 */
export const THUMB_SIZE = 256;

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
 * sharp's error. One decode feeds both the thumbnail and the quality measures. The linear kernel
 * (a triangle filter widened to the shrink, so still anti-aliased) costs less than Lanczos and looks
 * the same once the grid scales the thumbnail down again.
 */
export async function thumbnailPixels(input: Buffer | string): Promise<RawPixels> {
  const { data, info } = await sharp(input, { failOn: 'truncated', limitInputPixels: MAX_PIXELS })
    .rotate()
    .resize(THUMB_SIZE, THUMB_SIZE, { fit: 'inside', withoutEnlargement: true, kernel: 'linear' })
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, channels: info.channels };
}

export interface EncodedThumbnail {
  bytes: Buffer;
  format: ThumbFormat;
}

/**
 * Thumbnail bytes of thumbnail pixels: JPEG (quality 80, 4:2:0, no Huffman optimisation, which
 * would add a second pass for ~5% smaller files) unless they have alpha, then WebP (effort 0).
 * RGB goes to libjpeg-turbo directly (~0.5 ms where a sharp call costs ~2 ms), sharp otherwise.
 */
export async function encodeThumbnail(px: RawPixels): Promise<EncodedThumbnail> {
  const jpeg = await fastThumbnailJpeg(px);
  if (jpeg) return { bytes: jpeg, format: 'jpeg' };
  const image = sharp(px.data, { raw: { width: px.width, height: px.height, channels: px.channels } });
  if (px.channels === 2 || px.channels === 4) return { bytes: await image.webp({ quality: 75, effort: 0 }).toBuffer(), format: 'webp' };
  return { bytes: await image.jpeg({ quality: 80, optimiseCoding: false }).toBuffer(), format: 'jpeg' };
}

/** The thumbnail of `input`; rejects with sharp's error when the image cannot be decoded. */
export async function renderThumbnail(input: Buffer | string): Promise<EncodedThumbnail> {
  return encodeThumbnail(await thumbnailPixels(input));
}

let tmpCounter = 0;
const madeDirs = new Set<string>();

/**
 * Stores thumbnail bytes under their hash. Written to a temporary name and renamed, so a crash
 * never leaves half a thumbnail. Disk failures reject with an errno error (`code` set).
 */
export async function storeThumbnail(thumb: EncodedThumbnail, thumbsDir: string, hash: string, retry = true): Promise<string> {
  const target = thumbPath(thumbsDir, hash, thumb.format);
  const dir = path.dirname(target);
  if (!madeDirs.has(dir)) {
    await fs.mkdir(dir, { recursive: true });
    madeDirs.add(dir);
  }
  const tmp = `${target}.${process.pid}.${tmpCounter++}.tmp`;
  try {
    await writeSmallFile(tmp, thumb.bytes);
    await fs.rename(tmp, target);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    // The folder may have been removed since (cache cleared, dataset forgotten): make it again once.
    if (retry && (err as NodeJS.ErrnoException).code === 'ENOENT') {
      madeDirs.delete(dir);
      return storeThumbnail(thumb, thumbsDir, hash, false);
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
