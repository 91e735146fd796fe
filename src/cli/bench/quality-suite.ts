import { runMislabelBench } from '../../core/quality/bench/fashion-mislabels.js';
import { DEFAULT_CROSS_VALIDATION } from '../../core/quality/cross-validation.js';
import type { BenchFigure, BenchSuite } from './index.js';

const pct = (x: number) => Math.round(x * 1000) / 10;

/**
 * Likely-mislabel detection on real data: Fashion-MNIST training images (100 per class) with 5%
 * of the labels flipped at random; the mislabel check with its default settings (4 folds, 8
 * epochs, 32 px CNN). Precision and recall of the top-k suspects, k = the number of flips.
 */
export const qualitySuite: BenchSuite = {
  name: 'quality',
  summary: 'Fashion-MNIST, 100 images per class, 5% labels flipped: precision and recall of the top-k likely mislabels',
  async run(opts) {
    const cv = opts.quick ? { ...DEFAULT_CROSS_VALIDATION, folds: 2, epochs: 1, size: 16 } : DEFAULT_CROSS_VALIDATION;
    const r = await runMislabelBench({ perClass: opts.quick ? 10 : 100, noise: 0.05, cv, seed: 0, signal: opts.signal, log: opts.log });
    const setup = `${r.images} images, ${r.flipped} labels flipped (5%), ${cv.folds}-fold ${cv.model} at ${cv.size} px, ${cv.epochs} epochs a fold`;
    const figure = (name: string, value: number, unit: string, note: string): BenchFigure => ({ name, value, unit, peer: null, ratio: null, note });
    return [
      figure('precision of the top-k suspects', pct(r.precisionAtK), '%', `k = ${r.flipped} (the number of flipped labels); ${setup}`),
      figure('recall of the top-k suspects', pct(r.recallAtK), '%', `share of the ${r.flipped} flips among the top ${r.flipped}`),
      figure('precision of all flagged', pct(r.precision), '%', `${r.flagged} images flagged by confident learning`),
      figure('recall of all flagged', pct(r.recall), '%', `share of the flips among the ${r.flagged} flagged`),
      figure('mislabel check time', Math.round(r.seconds * 10) / 10, 's', `cross-validation and ranking, ${setup}`),
    ];
  },
};
