import { promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { measurePixels } from '../../quality/measure-image.js';
import { readImageHeader } from '../image-header.js';
import { contentHash } from '../read-image.js';
import { decodePlainJpeg, thumbnailOfDecoded } from '../fast-thumbnail.js';
import { readSmallFile } from '../small-files.js';
import { encodeThumbnail, storeThumbnail, THUMB_SIZE, thumbnailPixels, type EncodedThumbnail, type RawPixels } from '../thumbnails.js';

/** CPU milliseconds per image of each step of reading one file, run one image at a time. */
export interface StageCosts {
  images: number;
  readAndHash: number;
  metadata: number;
  /** Plain JPEGs: libjpeg-turbo's decode; anything else: sharp's decode, rotation and resize. */
  decode: number;
  /** resize.c's downscale and EXIF orientation of what libjpeg-turbo decoded (per image of all, fast path or not). */
  resize: number;
  /** JPEG (WebP for images with alpha) encode of the thumbnail's pixels. */
  thumbnailEncode: number;
  qualityMeasures: number;
  /** Writing the thumbnail to a temporary name and renaming it (its folder made once). */
  storeThumbnail: number;
  /** How many of the images took the fast path (libjpeg-turbo + resize.c). */
  fastPath: number;
}

async function jpegsUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && /\.jpe?g$/i.test(e.name)).map((e) => path.join(e.parentPath, e.name)).sort();
}

async function cpuMsPer<T>(items: readonly T[], fn: (item: T, index: number) => unknown): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < items.length; i++) await fn(items[i]!, i);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / Math.max(1, items.length);
}

/**
 * Where an import's CPU time goes, step by step, on up to `limit` JPEGs of `folder`, each step as
 * the import does it: reading and hashing, the header, the decode (libjpeg-turbo for plain JPEGs,
 * sharp for the rest), the downscale, the thumbnail's encode, the quality measures taken from the
 * same pixels and storing the thumbnail. Sequential, so each figure is that step's own cost; CPU
 * time, so a busy machine blurs it less than wall time.
 */
export async function measureImportStages(folder: string, limit: number): Promise<StageCosts> {
  const files = (await jpegsUnder(folder)).slice(0, limit);
  const bytes: Buffer[] = [];
  const readAndHash = await cpuMsPer(files, async (f) => {
    const b = await readSmallFile(f);
    contentHash(b);
    bytes.push(b);
  });
  // As the import reads headers: from the bytes, libvips only for what readImageHeader leaves to it.
  const metadata = await cpuMsPer(bytes, async (b) => readImageHeader(b) ?? (await sharp(b).metadata()));
  // Decode and resize timed image by image, so only one decoded original is alive at a time (as in
  // the import): holding 200 of them would make the garbage collector's work part of the figures.
  const pixels: RawPixels[] = [];
  let decodeMs = 0;
  let resizeMs = 0;
  let fastPath = 0;
  for (const b of bytes) {
    const started = process.cpuUsage();
    let resizeUsed = 0;
    const fast = await decodePlainJpeg(b, (decoded) => {
      const resizeStarted = process.cpuUsage();
      const thumb = thumbnailOfDecoded(decoded, THUMB_SIZE);
      const used = process.cpuUsage(resizeStarted);
      resizeUsed = (used.user + used.system) / 1000;
      return thumb;
    });
    pixels.push(fast ?? (await thumbnailPixels(b)));
    const used = process.cpuUsage(started);
    decodeMs += (used.user + used.system) / 1000 - resizeUsed;
    resizeMs += resizeUsed;
    if (fast) fastPath++;
  }
  const decode = decodeMs / Math.max(1, bytes.length);
  const resize = resizeMs / Math.max(1, bytes.length);
  const thumbs: EncodedThumbnail[] = [];
  const thumbnailEncode = await cpuMsPer(pixels, async (p) => thumbs.push(await encodeThumbnail(p)));
  const qualityMeasures = await cpuMsPer(pixels, (p) => measurePixels(p));
  const thumbsDir = await fs.mkdtemp(path.join(os.tmpdir(), 'smallset-bench-thumbs-'));
  try {
    const storeThumbnailMs = await cpuMsPer(thumbs, (t, i) => storeThumbnail(t, thumbsDir, contentHash(bytes[i]!)));
    return { images: files.length, readAndHash, metadata, decode, resize, thumbnailEncode, qualityMeasures, storeThumbnail: storeThumbnailMs, fastPath };
  } finally {
    await fs.rm(thumbsDir, { recursive: true, force: true });
  }
}

/**
 * CPU milliseconds the main thread (the one running JavaScript) has used so far, read from Linux's
 * /proc; null elsewhere. Beside the process's total it shows how much of the work is left to the
 * one thread that cannot run in parallel with itself.
 */
export function mainThreadCpuMs(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime (fields 14 and 15 of the line, counted after the command name) in clock ticks of 10 ms.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/** The 1-minute load average, rounded: printed beside every timing so a busy machine shows. */
export function loadAverage(): number {
  return Math.round(os.loadavg()[0]! * 100) / 100;
}
