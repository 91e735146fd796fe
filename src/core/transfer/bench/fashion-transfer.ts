import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { ComparisonDetail } from '../../../shared/api/compare.js';
import type { BackboneInfo } from '../../../shared/api/transfer.js';
import { FASHION_CLASSES } from '../../compare/bench/fashion-mnist.js';
import { comparisonDetail } from '../../compare/detail.js';
import { compareQueue } from '../../compare/queue-for-context.js';
import { reportData, writeReport, type ReportFiles } from '../../compare/report/write-report.js';
import { createComparison } from '../../compare/start-comparison.js';
import { createContext } from '../../context.js';
import { importFolder } from '../../library/import-folder.js';
import { trainBackbone } from '../train-backbone.js';

const SIDE = 28;
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

export interface FashionTransferResult {
  backbone: BackboneInfo;
  pretrainImages: number;
  pretrainSeconds: number;
  detail: ComparisonDetail;
  seconds: number;
  report: ReportFiles;
}

function classImages(index: number): number[][] {
  const pkg = createRequire(import.meta.url).resolve('fashion-mnist/package.json');
  const { data } = JSON.parse(readFileSync(path.join(path.dirname(pkg), 'src', 'clothes', `${index}.json`), 'utf8')) as { data: number[][] };
  // Class 0's file holds two empty entries (at 1000 and at the end).
  return data.filter((pixels) => pixels.length === SIDE * SIDE);
}

async function writeImages(dir: string, images: readonly number[][], first: number): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < images.length; i++) {
    await sharp(Uint8Array.from(images[i]!), { raw: { width: SIDE, height: SIDE, channels: 1 } })
      .png()
      .toFile(path.join(dir, `${String(first + i).padStart(4, '0')}.png`));
  }
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
    const data = classImages(c);
    if (TARGET_CLASSES.includes(c)) {
      const from = data.length - reserve;
      const t = path.join(root, 'target');
      await writeImages(path.join(t, 'train', name), data.slice(from, from + opts.trainPerClass), from);
      await writeImages(path.join(t, 'val', name), data.slice(from + opts.trainPerClass, from + opts.trainPerClass + opts.valPerClass), from + opts.trainPerClass);
      await writeImages(path.join(t, 'test', name), data.slice(from + opts.trainPerClass + opts.valPerClass), from + opts.trainPerClass + opts.valPerClass);
    }
    if (PRETRAIN_CLASSES.includes(c)) {
      const available = data.length - reserve;
      const n = Math.min(available, opts.pretrainPerClass ?? available);
      const val = Math.max(1, Math.round(n * 0.05));
      await writeImages(path.join(root, 'pretrain', 'train', name), data.slice(0, n - val), 0);
      await writeImages(path.join(root, 'pretrain', 'val', name), data.slice(n - val, n), n - val);
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
    const backbone = await trainBackbone(ctx, { datasetId: pre.datasetId, name: 'fashion-0-7', size: SIDE, epochs: opts.pretrainEpochs, seed: 0 });
    const pretrainSeconds = (performance.now() - t0) / 1000;
    opts.log(`backbone: validation accuracy ${((backbone.provenance.valAcc ?? 0) * 100).toFixed(1)}% on classes 0–7 (${pretrainSeconds.toFixed(0)} s)`);
    opts.signal.throwIfAborted();

    const { comparisonId, runs } = createComparison(ctx.db, {
      datasetId: target.datasetId,
      name: 'Fashion-MNIST transfer: scratch vs features vs finetune vs LoRA',
      preset: 'transfer',
      backbone: backbone.name,
      repeats: opts.repeats,
      epochs: opts.epochs,
      size: SIDE,
    }, { backbonesDir: ctx.paths.backbones });
    const queue = compareQueue(ctx);
    const started = performance.now();
    let reported = 0;
    const off = ctx.events.onAny((event, payload) => {
      if (event !== 'compare.progress') return;
      const p = payload as { comparisonId: number; done: number; failed: number };
      if (p.comparisonId !== comparisonId || p.done + p.failed === reported) return;
      reported = p.done + p.failed;
      opts.log(`  ${reported}/${runs} runs finished (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    });
    const onAbort = () => queue.cancel(comparisonId);
    opts.signal.addEventListener('abort', onAbort, { once: true });
    try {
      queue.enqueue(comparisonId);
      await queue.whenSettled(comparisonId);
    } finally {
      off();
      opts.signal.removeEventListener('abort', onAbort);
    }
    opts.signal.throwIfAborted();
    const detail = comparisonDetail(ctx.db, comparisonId);
    const report = writeReport(opts.reportDir, reportData(ctx.db, detail));
    return { backbone, pretrainImages, pretrainSeconds, detail, seconds: (performance.now() - started) / 1000, report };
  } finally {
    ctx.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
