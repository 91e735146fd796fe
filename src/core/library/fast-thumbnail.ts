import { plainJpegHeader } from './image-header.js';
import { encodeJpegRgb, withJpegRgb, type RgbPixels } from './jpeg-turbo.js';
import { fitInside } from './thumbnail-resize.js';
import type { RawPixels } from './thumbnails.js';
import { resizeOrientRgb } from './wasm/thumbnail-kernels.js';

/**
 * Largest plain JPEG (stored pixels) the import thumbnails without libvips. Above it libvips'
 * shrink-on-load (decoding at 1/2, 1/4 or 1/8 scale in the DCT) costs less than libjpeg-turbo's
 * full decode, which this binding cannot scale.
 */
export const FAST_THUMBNAIL_MAX_PIXELS = 1_000_000;

/**
 * The thumbnail pixels of a plain JPEG (see plainJpegHeader) without a sharp call: libjpeg-turbo
 * decodes it on libuv's pool, resize.c scales it to fit `size` with the triangle filter sharp's
 * `kernel: 'linear'` uses and turns it as its EXIF orientation says. Null for anything else and
 * for any file libjpeg-turbo does not decode cleanly: the caller then asks sharp, whose decision
 * and wording about the file stand.
 */
export async function fastThumbnailPixels(bytes: Buffer, size: number): Promise<RawPixels | null> {
  return decodePlainJpeg(bytes, (decoded) => thumbnailOfDecoded(decoded, size));
}

export interface DecodedJpeg {
  pixels: RgbPixels;
  orientation: number | null;
}

/**
 * The first half of fastThumbnailPixels: hands the stored pixels and EXIF orientation to `use`
 * (the pixels live in a reused buffer: `use` must not keep them) and returns what it makes; null
 * when the file is not a plain JPEG or libjpeg-turbo refuses it.
 */
export async function decodePlainJpeg<T>(bytes: Buffer, use: (decoded: DecodedJpeg) => T): Promise<T | null> {
  const header = plainJpegHeader(bytes);
  if (!header || header.width * header.height > FAST_THUMBNAIL_MAX_PIXELS) return null;
  return withJpegRgb(bytes, header.width, header.height, (pixels) => use({ pixels, orientation: header.orientation }));
}

/** The second half: downscaled to fit `size` and turned. */
export function thumbnailOfDecoded({ pixels, orientation }: DecodedJpeg, size: number): RawPixels {
  return resizeOrientRgb(pixels, fitInside(pixels.width, pixels.height, size), orientation);
}

/** JPEG thumbnail bytes (quality 80, 4:2:0, as sharp writes them) of RGB pixels by libjpeg-turbo; null when it fails. */
export function fastThumbnailJpeg(px: RawPixels): Promise<Buffer | null> {
  if (px.channels !== 3) return Promise.resolve(null);
  return encodeJpegRgb({ data: px.data, width: px.width, height: px.height, channels: 3 }, 80);
}
