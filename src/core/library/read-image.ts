import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { alongsideDecodes, decodeWithStableError } from './decode-gate.js';
import { readImageHeader } from './image-header.js';
import { MAX_FILE_BYTES, MAX_PIXELS, unsupportedFormatReason } from './image-formats.js';
import { readSmallFile } from './small-files.js';
import { measurePixels, type ImageMeasures } from '../quality/measure-image.js';
import { fastThumbnailPixels } from './fast-thumbnail.js';
import { encodeThumbnail, hasThumbnail, storeThumbnail, THUMB_SIZE, thumbnailPixels, type EncodedThumbnail } from './thumbnails.js';
import type { FoundFile } from './walk-folder.js';

/** What the library records about a readable image. */
export interface ImageFacts {
  hash: string;
  /** As displayed, i.e. after EXIF rotation. */
  width: number;
  height: number;
  format: string;
  orientation: number | null;
  /**
   * Quality measures taken from the thumbnail made in the same pass; null when the thumbnail was
   * already cached (nothing decoded), in which case the quality step measures it later.
   */
  measures: ImageMeasures | null;
}

export type ReadOutcome = { ok: true; facts: ImageFacts } | { ok: false; hash: string | null; reason: string };

export function contentHash(bytes: Buffer): string {
  return createHash('sha1').update(bytes).digest('hex');
}

/**
 * Turns libvips' wording into a reason a person can act on. `stage` says whether the header
 * (metadata) or the pixel data failed; the stage carries the meaning and libvips' message is detail
 * (taken from a decode that ran alone, see decode-gate.ts).
 */
export function describeDecodeError(err: unknown, stage: 'header' | 'pixels'): string {
  const message = err instanceof Error ? err.message : String(err);
  if (/unsupported image format/i.test(message)) {
    return 'not an image this app can read (the contents are not JPEG, PNG, WebP, GIF, TIFF or AVIF)';
  }
  if (/pixel limit/i.test(message)) return `image is larger than the ${MAX_PIXELS / 1e6} megapixel limit`;
  if (/heif|hevc|decoding plugin|codec/i.test(message)) {
    return `HEIC images need a codec this build does not have: convert them to JPEG or AVIF (${message})`;
  }
  return stage === 'header' ? `corrupt image header (${message})` : `corrupt or truncated image (${message})`;
}

function formatName(meta: sharp.Metadata): string {
  if (meta.format === 'heif' && meta.compression === 'av1') return 'avif';
  return meta.format ?? 'unknown';
}

/** What the import reads from an image's header: size as displayed (after EXIF rotation), format, orientation. */
interface HeaderFacts {
  width: number;
  height: number;
  format: string;
  orientation: number | null;
}

/** libvips' reading of the header: a sharp call (~0.6 ms CPU). Rejects with sharp's error. */
async function libvipsHeader(bytes: Buffer): Promise<HeaderFacts> {
  const meta = await decodeWithStableError(() => sharp(bytes, { limitInputPixels: false }).metadata());
  const { width, height } = meta.autoOrient ?? meta;
  return { width: width ?? 0, height: height ?? 0, format: formatName(meta), orientation: meta.orientation ?? null };
}

/**
 * The header read from the bytes when they are a plain JPEG, PNG or WebP (see image-header.ts),
 * otherwise by libvips. Rejects with sharp's error when libvips cannot read it.
 */
async function headerFacts(bytes: Buffer): Promise<{ facts: HeaderFacts; fromBytes: boolean }> {
  const header = readImageHeader(bytes);
  if (!header) return { facts: await libvipsHeader(bytes), fromBytes: false };
  const turned = header.orientation !== null && header.orientation >= 5;
  return {
    facts: {
      width: turned ? header.height : header.width,
      height: turned ? header.width : header.height,
      format: header.format,
      orientation: header.orientation,
    },
    fromBytes: true,
  };
}

/**
 * The reason for a failed decode. When the header was read from the bytes, libvips has not read it
 * yet: it does now, so a file whose header libvips rejects gets the header reason, as when libvips
 * read every header first.
 */
async function decodeFailure(err: unknown, bytes: Buffer, headerFromBytes: boolean): Promise<string> {
  if (headerFromBytes) {
    try {
      await libvipsHeader(bytes);
    } catch (headerErr) {
      return describeDecodeError(headerErr, 'header');
    }
  }
  return describeDecodeError(err, 'pixels');
}

/**
 * Hashes, inspects and thumbnails one file. Never throws for a bad file: every way a file can be
 * wrong comes back as `{ ok: false, reason }` so the import can record it and go on.
 */
export async function readImageFile(file: FoundFile, thumbsDir: string): Promise<ReadOutcome> {
  if (file.problem) return { ok: false, hash: null, reason: file.problem };
  const unsupported = unsupportedFormatReason(file.relPath);
  if (unsupported) return { ok: false, hash: null, reason: unsupported };
  if (file.size === 0) return { ok: false, hash: null, reason: 'empty file (0 bytes)' };
  if (file.size > MAX_FILE_BYTES) return { ok: false, hash: null, reason: `file is over ${MAX_FILE_BYTES / 1024 ** 3} GiB` };

  let bytes: Buffer;
  try {
    bytes = await readSmallFile(file.absPath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'EACCES' || code === 'EPERM' ? 'permission denied: cannot read this file' : `cannot read this file: ${(err as Error).message}`;
    return { ok: false, hash: null, reason };
  }
  if (bytes.length === 0) return { ok: false, hash: null, reason: 'empty file (0 bytes)' };
  const hash = contentHash(bytes);

  let header: { facts: HeaderFacts; fromBytes: boolean };
  try {
    header = await headerFacts(bytes);
  } catch (err) {
    return { ok: false, hash, reason: describeDecodeError(err, 'header') };
  }
  const { width, height, format, orientation } = header.facts;
  if (!width || !height) return { ok: false, hash, reason: 'image has no size in its header' };
  if (width * height > MAX_PIXELS) {
    const mp = ((width * height) / 1e6).toFixed(0);
    return { ok: false, hash, reason: `image is ${width}×${height} (${mp} MP), over the ${MAX_PIXELS / 1e6} MP limit` };
  }
  let measures: ImageMeasures | null = null;
  if (!(await hasThumbnail(thumbsDir, hash))) {
    let thumb: EncodedThumbnail;
    try {
      // A plain JPEG skips libvips (about half the CPU); anything else, or a JPEG libjpeg-turbo
      // does not decode cleanly, goes to sharp, whose verdict and error wording stand.
      const fast = header.fromBytes && format === 'jpeg' ? await fastThumbnailPixels(bytes, THUMB_SIZE) : null;
      const pixels = fast ?? (await decodeWithStableError(() => thumbnailPixels(bytes)));
      // The thumbnail encode runs on libuv's pool while the measures are taken here from the same
      // pixels, so the original is decoded once. Measures are optional: a failure leaves them null.
      const encoding = alongsideDecodes(() => encodeThumbnail(pixels));
      try {
        measures = measurePixels(pixels);
      } catch {
        measures = null;
      }
      thumb = await encoding;
    } catch (err) {
      return { ok: false, hash, reason: await decodeFailure(err, bytes, header.fromBytes) };
    }
    // A full disk or an unwritable data folder is our problem, not this image's: storing's error stops the import.
    await storeThumbnail(thumb, thumbsDir, hash);
  }
  return {
    ok: true,
    facts: { hash, width, height, format, orientation, measures },
  };
}
