import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { createContext, type AppContext } from '../../../src/core/context.js';
import { importFolder } from '../../../src/core/library/import-folder.js';
import type { PipelineSpec } from '../../../src/shared/api/augment.js';

export interface ExportSandbox {
  dir: string;
  ctx: AppContext;
  /** The imported image folder. */
  root: string;
  datasetId: number;
  at(...parts: string[]): string;
  cleanup(): void;
}

/** A real image whose pixels depend on `seed` (a gradient plus a pattern, so crops and flips show). */
export async function writeImage(file: string, seed: number, width = 48, height = 36): Promise<void> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      pixels[i] = (x * 5 + seed * 37) & 0xff;
      pixels[i + 1] = (y * 7 + seed * 11) & 0xff;
      pixels[i + 2] = ((x ^ y) * 3 + seed * 53) & 0xff;
    }
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, await sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 92 }).toBuffer());
}

/**
 * A data dir with one imported dataset laid out as `split/class/file` (`counts` gives, per
 * "split/class", how many images), so splits come from the folders.
 */
export async function exportSandbox(counts: Record<string, number>): Promise<ExportSandbox> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'smallset-export-'));
  const ctx = createContext(path.join(dir, 'data'));
  const root = path.join(dir, 'photos');
  let seed = 1;
  for (const [folder, n] of Object.entries(counts)) {
    for (let k = 0; k < n; k++) await writeImage(path.join(root, ...folder.split('/'), `img${k}.jpg`), seed++);
  }
  const imported = await importFolder(ctx, { path: root, name: 'photos' });
  return {
    dir,
    ctx,
    root,
    datasetId: imported.datasetId,
    at: (...parts) => path.join(dir, ...parts),
    cleanup() {
      ctx.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const smallPipeline: PipelineSpec = {
  version: 1,
  ops: [
    { op: 'hflip', p: 0.5 },
    { op: 'rotate', p: 1, degrees: [-30, 30], fill: 'reflect' },
    { op: 'random_resized_crop', width: 32, height: 32 },
    { op: 'brightness', p: 0.8, factor: [0.8, 1.2] },
    { op: 'gaussian_blur', p: 0.5, sigma: [0.1, 1.5] },
  ],
};

/** Every file under `dir` (relative, with /) → its SHA-256. */
export function hashTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = path.join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.set(path.relative(dir, full).split(path.sep).join('/'), createHash('sha256').update(readFileSync(full)).digest('hex'));
    }
  };
  walk(dir);
  return out;
}

/** Names in a folder, for checking that no staging folder was left beside a destination. */
export function listing(dir: string): string[] {
  return readdirSync(dir).sort();
}
