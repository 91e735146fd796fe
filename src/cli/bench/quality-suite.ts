import { runMislabelBench } from '../../core/quality/bench/fashion-mislabels.js';
import { DEFAULT_CROSS_VALIDATION } from '../../core/quality/cross-validation.js';
import type { BenchFigure, BenchSuite } from './index.js';

const pct = (x: number) => Math.round(x * 1000) / 10;

/**
 * Likely-mislabel detection on real data: Fashion-MNIST training images (100 per class) with 5%
 * of the labels flipped at random; the mislabel check with its default settings (5 folds, up to
 * 20 epochs with early stopping, 32 px CNN with batch norm). Precision and recall of the top-k
 * suspects for k = 25, 50 (the number of flips) and 100.
 */
export const qualitySuite: BenchSuite = {
  name: 'quality',
  summary: 'Fashion-MNIST, 100 images per class, 5% labels flipped: precision and recall of the top-k likely mislabels',
  async run(opts) {
    const cv = opts.quick ? { ...DEFAULT_CROSS_VALIDATION, folds: 2, epochs: 1, size: 16 } : DEFAULT_CROSS_VALIDATION;
    const perClass = opts.quick ? 10 : 100;
    const ks = opts.quick ? [5] : [25, 50, 100];
    const r = await runMislabelBench({ perClass, noise: 0.05, cv, ks, seed: 0, signal: opts.signal, log: opts.log });
    const setup = `${r.images} images, ${r.flipped} labels flipped (5%), ${cv.folds}-fold ${cv.model} at ${cv.size} px, up to ${cv.epochs} epochs a fold (patience ${cv.patience})`;
    const figure = (name: string, value: number, unit: string, note: string): BenchFigure => ({ name, value, unit, peer: null, ratio: null, note });
    return [
      ...r.topK.flatMap((t) => [
        figure(`precision of the top ${t.k} suspects`, pct(t.precision), '%', `flipped among the top ${t.k}; ${setup}`),
        figure(`recall of the top ${t.k} suspects`, pct(t.recall), '%', `share of the ${r.flipped} flips among the top ${t.k}`),
      ]),
      ...r.alternatives.map((a) =>
        figure(`precision of the top ${r.flipped}, ${a.ranking}`, pct(a.precision), '%', 'another ranking of the same out-of-sample probabilities, for comparison (the app lists the lowest self-confidence images, as many as confident learning estimates)'),
      ),
      figure('precision of all flagged', pct(r.precision), '%', `${r.flagged} images flagged by confident learning`),
      figure('recall of all flagged', pct(r.recall), '%', `share of the flips among the ${r.flagged} flagged`),
      figure('out-of-sample accuracy', pct(r.accuracy), '%', `fold models against the given (noisy) labels; epochs kept per fold: ${r.foldEpochs.join(', ')}`),
      figure('mislabel check time', Math.round(r.seconds * 10) / 10, 's', `cross-validation (in a training process) and ranking, ${setup}`),
    ];
  },
};
