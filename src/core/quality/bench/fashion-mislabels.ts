import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFashionSubset } from '../../compare/bench/fashion-mnist.js';
import { createContext } from '../../context.js';
import { importFolder } from '../../library/import-folder.js';
import { labelImages } from '../../library/labels.js';
import { deriveSeed, mulberry32 } from '../../train/seeded-random.js';
import { classThresholds, offDiagonalImages } from '../confident-learning.js';
import type { CrossValidationOptions, OutOfSample } from '../cross-validation.js';
import { findSuspects, listSuspects } from '../suspects.js';

export interface MislabelBenchOptions {
  perClass: number;
  /** Share of labels flipped to another class at random. */
  noise: number;
  cv: CrossValidationOptions;
  /** Top-k cut-offs to report besides k = number of flips. */
  ks: number[];
  seed: number;
  signal: AbortSignal;
  log: (line: string) => void;
}

export interface TopK {
  k: number;
  /** Share of the top k suspects that were flipped (hits / k)… */
  precision: number;
  /** …and share of the flipped labels found among them. */
  recall: number;
}

export interface MislabelBenchResult {
  images: number;
  flipped: number;
  flagged: number;
  /** Out-of-sample accuracy of the fold models against the (noisy) given labels. */
  accuracy: number;
  /** Epochs each fold's model kept (early stopping). */
  foldEpochs: number[];
  /** Precision and recall of the top k suspects for each k asked. */
  topK: TopK[];
  /** Other rankings of the same out-of-sample probabilities, at k = number of flips (not what the app stores). */
  alternatives: { ranking: string; precision: number }[];
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
    opts.log(`flipped ${flips.length} of ${images.length} labels; running ${opts.cv.folds}-fold cross-validation (up to ${opts.cv.epochs} epochs at ${opts.cv.size} px, patience ${opts.cv.patience})`);
    let oos: OutOfSample | null = null;
    const onAbort = () => ctx.jobs.cancelAll();
    opts.signal.addEventListener('abort', onAbort, { once: true });
    const found = await ctx.jobs.run('mislabels', undefined, (job) => {
      const started = performance.now();
      // Logs each fold as it ends (its last progress report).
      const progress: typeof job.progress = (p) => {
        if (p.phase?.startsWith('fold') && p.done % opts.cv.epochs === 0) opts.log(`${p.phase} done at ${((performance.now() - started) / 1000).toFixed(0)} s`);
      };
      return findSuspects(ctx, datasetId, opts.cv, { ...job, progress }, {}, (o) => (oos = o));
    }).finally(() => opts.signal.removeEventListener('abort', onAbort));
    const suspects = listSuspects(ctx.db, datasetId, 'open');
    const flipped = new Set(flips.map((f) => f.id));
    const k = flipped.size;
    const hitsAtK = suspects.slice(0, k).filter((s) => flipped.has(s.imageId)).length;
    const hits = suspects.filter((s) => flipped.has(s.imageId)).length;
    const topK = opts.ks.map((n) => {
      const found = suspects.slice(0, n).filter((s) => flipped.has(s.imageId)).length;
      return { k: n, precision: found / n, recall: k ? found / k : 0 };
    });
    return {
      alternatives: oos ? alternativeRankings(oos, flipped) : [],
      images: images.length,
      flipped: k,
      flagged: suspects.length,
      accuracy: found.accuracy,
      foldEpochs: found.foldEpochs,
      topK,
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

/**
 * Precision at k = number of flips of other rankings of the same probabilities: only the confident
 * joint's off-diagonal images by self-confidence (the ranking before 2026-12-05) and by normalized
 * margin (p(given) − max other p, lowest first), and every image by normalized margin.
 */
function alternativeRankings(oos: OutOfSample, flipped: ReadonlySet<number>): { ranking: string; precision: number }[] {
  const k = flipped.size;
  if (!k) return [];
  const precisionOf = (indices: readonly number[]) => indices.slice(0, k).filter((i) => flipped.has(oos.images[i]!.id)).length / k;
  const self = (i: number) => oos.probs[i]![oos.labels[i]!]!;
  const margin = (i: number) => {
    const p = oos.probs[i]!;
    const given = oos.labels[i]!;
    return p[given]! - Math.max(...p.filter((_, j) => j !== given));
  };
  const offDiagonal = offDiagonalImages(oos.probs, oos.labels, classThresholds(oos.probs, oos.labels, oos.classIds.length));
  const all = oos.images.map((_, i) => i);
  return [
    { ranking: 'off-diagonal only, by self-confidence', precision: precisionOf([...offDiagonal].sort((a, b) => self(a) - self(b))) },
    { ranking: 'off-diagonal only, by normalized margin', precision: precisionOf([...offDiagonal].sort((a, b) => margin(a) - margin(b))) },
    { ranking: 'all images, by normalized margin', precision: precisionOf([...all].sort((a, b) => margin(a) - margin(b))) },
  ];
}
