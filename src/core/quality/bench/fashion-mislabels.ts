import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFashionSubset } from '../../compare/bench/fashion-mnist.js';
import { createContext } from '../../context.js';
import { importFolder } from '../../library/import-folder.js';
import { labelImages } from '../../library/labels.js';
import { deriveSeed, mulberry32 } from '../../train/seeded-random.js';
import type { CrossValidationOptions } from '../cross-validation.js';
import { findSuspects, listSuspects } from '../suspects.js';

export interface MislabelBenchOptions {
  perClass: number;
  /** Share of labels flipped to another class at random. */
  noise: number;
  cv: CrossValidationOptions;
  seed: number;
  signal: AbortSignal;
  log: (line: string) => void;
}

export interface MislabelBenchResult {
  images: number;
  flipped: number;
  flagged: number;
  /** Of the top-k suspects (k = number of flipped labels), the share that were flipped… */
  precisionAtK: number;
  /** …and the share of flipped labels found among them. */
  recallAtK: number;
  /** The same over everything flagged. */
  precision: number;
  recall: number;
  seconds: number;
}

/**
 * Fashion-MNIST training images with a share of labels flipped at random (seeded), then the
 * mislabel check with the given cross-validation settings: how many of the flips it ranks on top.
 */
export async function runMislabelBench(opts: MislabelBenchOptions): Promise<MislabelBenchResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'smallset-bench-quality-'));
  const ctx = createContext(path.join(dir, 'data'));
  try {
    opts.log(`writing ${opts.perClass} Fashion-MNIST images per class`);
    await writeFashionSubset(path.join(dir, 'fashion'), { train: opts.perClass, val: 0, test: 0, signal: opts.signal });
    const { datasetId } = await importFolder(ctx, { path: path.join(dir, 'fashion'), name: 'fashion' });
    const images = ctx.db.prepare('SELECT id, class_id AS classId FROM images WHERE dataset_id = ? AND class_id IS NOT NULL ORDER BY id').all(datasetId) as { id: number; classId: number }[];
    const classIds = [...new Set(images.map((i) => i.classId))];
    const rand = mulberry32(deriveSeed(opts.seed, 'flip'));
    const order = images.map((i) => ({ ...i, key: rand() })).sort((a, b) => a.key - b.key);
    const flips = order.slice(0, Math.round(opts.noise * images.length));
    for (const f of flips) {
      const others = classIds.filter((c) => c !== f.classId);
      labelImages(ctx.db, [f.id], others[Math.floor(rand() * others.length)]!);
    }
    opts.log(`flipped ${flips.length} of ${images.length} labels; running ${opts.cv.folds}-fold cross-validation (${opts.cv.epochs} epochs at ${opts.cv.size} px)`);
    const onAbort = () => ctx.jobs.cancelAll();
    opts.signal.addEventListener('abort', onAbort, { once: true });
    const found = await ctx.jobs.run('mislabels', undefined, (job) => findSuspects(ctx, datasetId, opts.cv, job)).finally(() => opts.signal.removeEventListener('abort', onAbort));
    const suspects = listSuspects(ctx.db, datasetId, 'open');
    const flipped = new Set(flips.map((f) => f.id));
    const k = flipped.size;
    const hitsAtK = suspects.slice(0, k).filter((s) => flipped.has(s.imageId)).length;
    const hits = suspects.filter((s) => flipped.has(s.imageId)).length;
    return {
      images: images.length,
      flipped: k,
      flagged: suspects.length,
      precisionAtK: k ? hitsAtK / Math.min(k, Math.max(1, suspects.length)) : 0,
      recallAtK: k ? hitsAtK / k : 0,
      precision: suspects.length ? hits / suspects.length : 0,
      recall: k ? hits / k : 0,
      seconds: found.seconds,
    };
  } finally {
    ctx.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
