import os from 'node:os';
import path from 'node:path';
import { runFashionCompare } from '../../core/compare/bench/fashion-compare.js';
import { compareTable } from '../actions/compare.js';
import type { BenchFigure, BenchSuite } from './index.js';

/** Enough epochs for a 500-image training set to level off (about 16 batches an epoch). */
const EPOCHS = 40;

const round1 = (x: number) => Math.round(x * 10) / 10;
const points = (x: number | null) => (x === null ? '–' : (x * 100).toFixed(1));

/**
 * The studio's promise on real data: 50 Fashion-MNIST images per class, a fixed 1000-image
 * validation set and a 1000-image test set; raw vs augmented vs augmented + regularization,
 * paired over 3 repeats. Figures are accuracies and paired differences, not speeds: there is no
 * peer, the point is what the comparison finds.
 */
export const compareSuite: BenchSuite = {
  name: 'compare',
  summary: 'Fashion-MNIST, 50 train images per class: raw vs augmented vs augmented + regularization, 3 paired repeats',
  async run(opts) {
    const reportDir = path.join(process.env.SMALLSET_BENCH_OUT ?? os.tmpdir(), 'smallset-bench-compare');
    const r = await runFashionCompare({
      trainPerClass: opts.quick ? 4 : 50,
      valPerClass: opts.quick ? 2 : 100,
      testPerClass: opts.quick ? 2 : 100,
      repeats: opts.quick ? 2 : 3,
      epochs: opts.quick ? 1 : EPOCHS,
      signal: opts.signal,
      log: opts.log,
      reportDir,
    });
    const d = r.detail;
    opts.log(`\n${compareTable(d)}\n\nReport: ${r.report.html}`);
    const metric = d.metric === 'testAcc' ? 'test' : 'validation';
    const figures: BenchFigure[] = [];
    for (const a of d.arms) {
      const s = a[d.metric] ?? a.valAcc;
      figures.push({
        name: `${a.name}: ${metric} accuracy`,
        value: s.mean === null ? Number.NaN : round1(s.mean * 100),
        unit: '%',
        peer: null,
        ratio: null,
        note: `mean of ${s.n} runs, 95% CI ${s.ci ? `${points(s.ci[0])}–${points(s.ci[1])}` : '–'}; validation ${points(a.valAcc.mean)}%, train ${points(a.trainAcc.mean)}%, gap ${points(a.gap.mean)} points, ${a.epochs.mean?.toFixed(1) ?? '–'} epochs`,
      });
    }
    for (const v of d.vsBaseline) {
      figures.push({
        name: `${v.arm} − ${v.baseline}`,
        value: v.diff === null ? Number.NaN : round1(v.diff * 100),
        unit: 'points',
        peer: null,
        ratio: null,
        note: `paired over ${v.repeats} repeats, 95% CI ${v.ci ? `${points(v.ci[0])} to ${points(v.ci[1])}` : '–'}, better in ${v.wins}; ${v.text}`,
      });
    }
    figures.push({
      name: 'wall time per run',
      value: round1(r.seconds / Math.max(1, d.total)),
      unit: 's',
      peer: null,
      ratio: null,
      note: `${d.total} runs of ${d.config.epochs} epochs at 28 px, ${d.config.concurrency} at a time, backend ${[...new Set(d.runs.map((x) => x.backend))].join(', ')}`,
    });
    return figures;
  },
};
