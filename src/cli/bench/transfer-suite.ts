import os from 'node:os';
import path from 'node:path';
import { runFashionTransfer } from '../../core/transfer/bench/fashion-transfer.js';
import { compareTable } from '../actions/compare.js';
import type { BenchFigure, BenchSuite } from './index.js';

const round1 = (x: number) => Math.round(x * 10) / 10;
const points = (x: number | null) => (x === null ? '–' : (x * 100).toFixed(1));

/** SMALLSET_BENCH_PRETRAIN_PER_CLASS caps the pretraining set (default: all of classes 0–7 but the reserved target images). */
function pretrainCap(): number | null {
  const v = process.env.SMALLSET_BENCH_PRETRAIN_PER_CLASS;
  return v && /^\d+$/.test(v) ? Number(v) : null;
}

/**
 * Transfer learning on real data without downloads: the studio's CNN pretrained on Fashion-MNIST
 * classes 0–7 as a backbone, then 20 images per class of classes 8, 9, 0, 2, 5 (images the
 * backbone never saw): from scratch vs feature extraction vs fine-tuning vs LoRA, 3 paired
 * repeats. Figures: test accuracy, trainable weights and seconds per run of each arm.
 */
export const transferSuite: BenchSuite = {
  name: 'transfer',
  summary: 'Fashion-MNIST: CNN pretrained on classes 0–7, then 20 images/class of 8, 9, 0, 2, 5: scratch vs features vs finetune vs LoRA, 3 repeats',
  async run(opts) {
    const reportDir = path.join(process.env.SMALLSET_BENCH_OUT ?? os.tmpdir(), 'smallset-bench-transfer');
    const r = await runFashionTransfer({
      pretrainPerClass: opts.quick ? 30 : pretrainCap(),
      pretrainEpochs: opts.quick ? 1 : 5,
      trainPerClass: opts.quick ? 4 : 20,
      valPerClass: opts.quick ? 2 : 50,
      testPerClass: opts.quick ? 2 : 200,
      repeats: opts.quick ? 1 : 3,
      epochs: opts.quick ? 1 : 30,
      signal: opts.signal,
      log: opts.log,
      reportDir,
    });
    const d = r.detail;
    opts.log(`\n${compareTable(d)}\n\nReport: ${r.report.html}`);
    const metric = d.metric === 'testAcc' ? 'test' : 'validation';
    const figures: BenchFigure[] = [
      {
        name: 'backbone: validation accuracy on classes 0–7',
        value: round1((r.backbone.provenance.valAcc ?? Number.NaN) * 100),
        unit: '%',
        peer: null,
        ratio: null,
        note: `studio CNN ${r.backbone.params.toLocaleString('en-US')} weights, ${r.pretrainImages} images at 28 px, ${round1(r.pretrainSeconds)} s to pretrain`,
      },
    ];
    for (const a of d.arms) {
      const s = a[d.metric] ?? a.valAcc;
      figures.push({
        name: `${a.name}: ${metric} accuracy`,
        value: s.mean === null ? Number.NaN : round1(s.mean * 100),
        unit: '%',
        peer: null,
        ratio: null,
        note: `mean of ${s.n} runs, 95% CI ${s.ci ? `${points(s.ci[0])}–${points(s.ci[1])}` : '–'}; ${a.trainableParams?.toLocaleString('en-US') ?? '–'} trainable weights, ${a.seconds.mean?.toFixed(1) ?? '–'} s per run`,
      });
      figures.push({ name: `${a.name}: trainable weights`, value: a.trainableParams ?? Number.NaN, unit: 'weights', peer: null, ratio: null });
      figures.push({ name: `${a.name}: seconds per run`, value: a.seconds.mean === null ? Number.NaN : round1(a.seconds.mean), unit: 's', peer: null, ratio: null });
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
    return figures;
  },
};
