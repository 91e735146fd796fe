import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BackboneInfo } from '../../../shared/api/transfer.js';
import { FASHION_CLASSES, FASHION_SIDE, fashionClassImages, writeFashionImages } from '../../compare/bench/fashion-mnist.js';
import { runBenchComparison, type BenchComparisonResult } from '../../compare/bench/run-bench-comparison.js';
import { createComparison } from '../../compare/start-comparison.js';
import { createContext } from '../../context.js';
import { importFolder } from '../../library/import-folder.js';
import { trainBackbone } from '../train-backbone.js';

/** Pretraining classes 0–7; the target task adds 8 (bag) and 9 (ankle boot) to three of them. */
const PRETRAIN_CLASSES = [0, 1, 2, 3, 4, 5, 6, 7];
export const TARGET_CLASSES = [8, 9, 0, 2, 5];

export interface FashionTransferOptions {
  /** Pretraining images per class 0–7 (null: all that are not reserved for the target task). */
  pretrainPerClass: number | null;
  pretrainEpochs: number;
  trainPerClass: number;
  valPerClass: number;
  testPerClass: number;
  repeats: number;
  epochs: number;
  signal: AbortSignal;
  log: (line: string) => void;
  reportDir: string;
}

export interface FashionTransferResult extends BenchComparisonResult {
  backbone: BackboneInfo;
  pretrainImages: number;
  pretrainSeconds: number;
}

/**
 * Writes both ImageFolder trees, reading each class file once. The target task's images of classes
 * 0–7 come from the end of each class file and are never in the pretraining set.
 */
async function writeTrees(root: string, opts: FashionTransferOptions): Promise<number> {
  const reserve = opts.trainPerClass + opts.valPerClass + opts.testPerClass;
  let pretrain = 0;
  for (let c = 0; c < FASHION_CLASSES.length; c++) {
    opts.signal.throwIfAborted();
    const name = FASHION_CLASSES[c]!;
    const data = fashionClassImages(c);
    if (TARGET_CLASSES.includes(c)) {
      const from = data.length - reserve;
      const t = path.join(root, 'target');
      await writeFashionImages(path.join(t, 'train', name), data.slice(from, from + opts.trainPerClass), from);
      await writeFashionImages(path.join(t, 'val', name), data.slice(from + opts.trainPerClass, from + opts.trainPerClass + opts.valPerClass), from + opts.trainPerClass);
      await writeFashionImages(path.join(t, 'test', name), data.slice(from + opts.trainPerClass + opts.valPerClass), from + opts.trainPerClass + opts.valPerClass);
    }
    if (PRETRAIN_CLASSES.includes(c)) {
      const available = data.length - reserve;
      const n = Math.min(available, opts.pretrainPerClass ?? available);
      const val = Math.max(1, Math.round(n * 0.05));
      await writeFashionImages(path.join(root, 'pretrain', 'train', name), data.slice(0, n - val), 0);
      await writeFashionImages(path.join(root, 'pretrain', 'val', name), data.slice(n - val, n), n - val);
      pretrain += n;
    }
    opts.log(`  wrote class ${c} (${name})`);
  }
  return pretrain;
}

/**
 * The benchmark without downloads: pretrain the studio's CNN on Fashion-MNIST classes
 * 0–7 as a backbone, then compare, on classes 8, 9, 0, 2, 5 with few images per class, the CNN
 * from scratch vs feature extraction vs fine-tuning vs LoRA, paired over repeats.
 */
export async function runFashionTransfer(opts: FashionTransferOptions): Promise<FashionTransferResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'smallset-bench-transfer-'));
  const ctx = createContext(path.join(dir, 'data'));
  try {
    opts.log('writing the Fashion-MNIST trees (pretraining: classes 0–7; target: 8, 9, 0, 2, 5)…');
    const pretrainImages = await writeTrees(path.join(dir, 'images'), opts);
    const pre = await importFolder(ctx, { path: path.join(dir, 'images', 'pretrain'), name: 'fashion 0-7' });
    const target = await importFolder(ctx, { path: path.join(dir, 'images', 'target'), name: 'fashion target' });
    opts.log(`pretraining the CNN on ${pretrainImages} images, ${opts.pretrainEpochs} epochs…`);
    const t0 = performance.now();
    const backbone = await trainBackbone(ctx, { datasetId: pre.datasetId, name: 'fashion-0-7', size: FASHION_SIDE, epochs: opts.pretrainEpochs, seed: 0 });
    const pretrainSeconds = (performance.now() - t0) / 1000;
    opts.log(`backbone: validation accuracy ${((backbone.provenance.valAcc ?? 0) * 100).toFixed(1)}% on classes 0–7 (${pretrainSeconds.toFixed(0)} s)`);
    opts.signal.throwIfAborted();

    const created = createComparison(ctx.db, {
      datasetId: target.datasetId,
      name: 'Fashion-MNIST transfer: scratch vs features vs finetune vs LoRA',
      preset: 'transfer',
      backbone: backbone.name,
      repeats: opts.repeats,
      epochs: opts.epochs,
      size: FASHION_SIDE,
    }, { backbonesDir: ctx.paths.backbones });
    return { backbone, pretrainImages, pretrainSeconds, ...(await runBenchComparison(ctx, created, opts)) };
  } finally {
    ctx.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
