import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { measurePixels } from '../../quality/measure-image.js';
import { readImageHeader } from '../image-header.js';
import { contentHash } from '../read-image.js';
import { encodeThumbnail, thumbnailPixels, type RawPixels } from '../thumbnails.js';

/** CPU milliseconds per image of each step of reading one file, run one image at a time. */
export interface StageCosts {
  images: number;
  readAndHash: number;
  metadata: number;
  /** Decode, EXIF rotation and resize to the thumbnail's raw pixels. */
  thumbnailPixels: number;
  /** JPEG (WebP for images with alpha) encode of those pixels. */
  thumbnailEncode: number;
  qualityMeasures: number;
}

async function jpegsUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && /\.jpe?g$/i.test(e.name)).map((e) => path.join(e.parentPath, e.name)).sort();
}

async function cpuMsPer<T>(items: readonly T[], fn: (item: T) => Promise<unknown>): Promise<number> {
  const start = process.cpuUsage();
  for (const item of items) await fn(item);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / Math.max(1, items.length);
}

/**
 * Where an import's CPU time goes, step by step, on up to `limit` JPEGs of `folder`: reading and
 * hashing, the header, the thumbnail's pixels (decode, resize), its encode and the quality
 * measures taken from the same pixels. Sequential, so each figure is that step's own cost; CPU
 * time, so a busy machine blurs it less than wall time.
 */
export async function measureImportStages(folder: string, limit: number): Promise<StageCosts> {
  const files = (await jpegsUnder(folder)).slice(0, limit);
  const bytes: Buffer[] = [];
  const readAndHash = await cpuMsPer(files, async (f) => {
    const b = await fs.readFile(f);
    contentHash(b);
    bytes.push(b);
  });
  // As the import reads headers: from the bytes, libvips only for what readImageHeader leaves to it.
  const metadata = await cpuMsPer(bytes, async (b) => readImageHeader(b) ?? (await sharp(b).metadata()));
  const pixels: RawPixels[] = [];
  const decode = await cpuMsPer(bytes, async (b) => pixels.push(await thumbnailPixels(b)));
  const thumbnailEncode = await cpuMsPer(pixels, (p) => encodeThumbnail(p));
  const qualityMeasures = await cpuMsPer(pixels, async (p) => measurePixels(p));
  return { images: files.length, readAndHash, metadata, thumbnailPixels: decode, thumbnailEncode, qualityMeasures };
}

/** The 1-minute load average, rounded: printed beside every timing so a busy machine shows. */
export function loadAverage(): number {
  return Math.round(os.loadavg()[0]! * 100) / 100;
}
