import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { createContext, type AppContext } from '../../../src/core/context.js';

/** A temp folder holding a fresh data dir (real SQLite file) and room for image folders. */
export interface Sandbox {
  dir: string;
  ctx: AppContext;
  /** Absolute path inside the sandbox. */
  at(...parts: string[]): string;
  cleanup(): void;
}

export function sandbox(prefix = 'smallset-lib-'): Sandbox {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const ctx = createContext(path.join(dir, 'data'));
  return {
    dir,
    ctx,
    at: (...parts) => path.join(dir, ...parts),
    cleanup() {
      ctx.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Writes a real image whose pixels depend on `seed`, so different seeds give different bytes
 * (and hashes) and equal seeds give identical files.
 */
export async function writeImage(
  file: string,
  opts: { seed?: number; width?: number; height?: number; format?: 'jpeg' | 'png' | 'webp' | 'gif' | 'tiff' | 'avif'; orientation?: number } = {},
): Promise<Buffer> {
  const width = opts.width ?? 40;
  const height = opts.height ?? 30;
  const seed = opts.seed ?? 1;
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 31 + seed * 97 + ((i * seed) % 13) * 7) & 0xff;
  let img = sharp(pixels, { raw: { width, height, channels: 3 } });
  if (opts.orientation) img = img.withMetadata({ orientation: opts.orientation });
  const format = opts.format ?? 'jpeg';
  const bytes = await (format === 'avif' ? img.avif({ effort: 0 }) : img.toFormat(format)).toBuffer();
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, bytes);
  return bytes;
}

/** Writes several images at relative paths under `root`, each with its own content. */
export async function writeTree(root: string, relPaths: readonly string[], firstSeed = 1): Promise<void> {
  let seed = firstSeed;
  for (const rel of relPaths) await writeImage(path.join(root, rel), { seed: seed++ });
}

export function countRows(ctx: AppContext, sql: string, ...args: unknown[]): number {
  return (ctx.db.prepare(sql).get(...args) as { n: number }).n;
}

/** The JPEG without its APP2 (ICC profile) segments, as cameras write EXIF-rotated photos. */
export function withoutIccProfile(jpeg: Buffer): Buffer {
  const parts: Buffer[] = [jpeg.subarray(0, 2)];
  let at = 2;
  while (jpeg[at] === 0xff && jpeg[at + 1] !== 0xda) {
    const end = at + 2 + jpeg.readUInt16BE(at + 2);
    if (jpeg[at + 1] !== 0xe2) parts.push(jpeg.subarray(at, end));
    at = end;
  }
  parts.push(jpeg.subarray(at));
  return Buffer.concat(parts);
}
