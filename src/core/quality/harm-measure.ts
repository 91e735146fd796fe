import { applyOps } from '../augment/apply.js';
import type { RawImage } from '../augment/op.js';
import { parsePipeline } from '../augment/pipeline.js';
import { createRng, sampleSeed } from '../augment/rng.js';
import { sampleNode } from '../augment/sample.js';
import type { TrainBackendName } from '../../shared/api/train.js';
import { initBackend } from '../train/backend/init-backend.js';
import { decodeAll } from '../train/data/decode-cache.js';
import type { RunSample } from '../train/data/samples.js';
import { predictProbabilities } from '../train/loop/predict.js';
import { argmaxRows } from '../train/metrics/confusion.js';
import { loadModel } from '../train/models/model-files.js';

/** An op is flagged when it costs this much accuracy (absolute) on the validation images… */
export const HARM_ACCURACY_DROP = 0.1;
/** …and changes at least this share of the predictions (overall, or of one class). */
export const HARM_CHANGED = 0.25;

export interface ClassHarm {
  name: string;
  images: number;
  /** Share of this class's images whose prediction changed under the op. */
  changed: number;
  accuracy: number;
  drop: number;
  flagged: boolean;
}

export interface OpHarm {
  /** Index of the op in the pipeline's top-level list. */
  index: number;
  op: string;
  changed: number;
  accuracy: number;
  drop: number;
  flagged: boolean;
  classes: ClassHarm[];
}

export interface HarmReport {
  runId: string;
  images: number;
  baseAccuracy: number;
  ops: OpHarm[];
}

/** What the training process needs for a harm check (it never opens the database). */
export interface HarmCheckTask {
  runId: string;
  modelPath: string;
  size: number;
  backend: TrainBackendName | null;
  /** The run's class names, in its model's output order. */
  classNames: string[];
  /** Validation images with labels in the run's class order. */
  val: RunSample[];
  pipeline: unknown;
  seed: number;
  decodedDir: string;
}

export type HarmProgress = (p: { phase: string; done: number; total: number }) => void;

function isHarmful(drop: number, changed: number): boolean {
  return drop >= HARM_ACCURACY_DROP && changed >= HARM_CHANGED;
}

/**
 * Applies each top-level op of the pipeline (always, p = 1, with its sampled parameters) to the
 * validation images and compares the model's predictions with those on the untouched images.
 * Runs in the training process; cancelling is the parent killing it.
 */
export async function measureHarm(task: HarmCheckTask, progress: HarmProgress): Promise<HarmReport> {
  const pipeline = parsePipeline(task.pipeline, 'pipeline');
  const { size, val } = task;
  await initBackend(task.backend ? { prefer: task.backend } : {});
  const model = await loadModel(task.modelPath);
  try {
    const total = pipeline.nodes.length + 1;
    progress({ phase: 'decoding', done: 0, total });
    const decoded = await decodeAll(val, size, task.decodedDir, () => {});
    const raws: RawImage[] = val.map((s) => ({ data: decoded.get(s.id)!, width: size, height: size, channels: 3 }));
    const truth = val.map((s) => s.label);
    const predict = async (images: readonly RawImage[]) => argmaxRows(await predictProbabilities(model, images.map((r) => r.data), size));
    const base = await predict(raws);
    progress({ phase: 'checking ops', done: 1, total });

    const accuracyOf = (pred: readonly number[], idx: readonly number[]) => (idx.length ? idx.filter((i) => pred[i] === truth[i]).length / idx.length : 0);
    const all = truth.map((_, i) => i);
    const baseAccuracy = accuracyOf(base, all);
    const ops: OpHarm[] = [];
    for (const [index, node] of pipeline.nodes.entries()) {
      const changedImages: RawImage[] = [];
      for (const [i, raw] of raws.entries()) {
        const rng = createRng(sampleSeed(task.seed, val[i]!.id, index));
        const concrete = sampleNode(node, rng, { width: size, height: size }, true).ops;
        changedImages.push(await applyOps(raw, concrete, { outputSize: { width: size, height: size } }));
      }
      const pred = await predict(changedImages);
      const changedShare = (idx: readonly number[]) => (idx.length ? idx.filter((i) => pred[i] !== base[i]).length / idx.length : 0);
      const classes: ClassHarm[] = task.classNames.flatMap((name, k) => {
        const idx = all.filter((i) => truth[i] === k);
        if (!idx.length) return [];
        const accuracy = accuracyOf(pred, idx);
        const drop = accuracyOf(base, idx) - accuracy;
        const changed = changedShare(idx);
        // A class of one or two images flips on noise; it is reported but never flagged alone.
        return [{ name, images: idx.length, changed, accuracy, drop, flagged: idx.length >= 3 && isHarmful(drop, changed) }];
      });
      const accuracy = accuracyOf(pred, all);
      const drop = baseAccuracy - accuracy;
      const changed = changedShare(all);
      ops.push({ index, op: node.op.id, changed, accuracy, drop, flagged: isHarmful(drop, changed) || classes.some((c) => c.flagged), classes });
      progress({ phase: 'checking ops', done: index + 2, total });
    }
    return { runId: task.runId, images: val.length, baseAccuracy, ops };
  } finally {
    model.dispose();
  }
}
