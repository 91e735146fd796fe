import { ApiError } from '../../shared/api/errors.js';
import { applyOps } from '../augment/apply.js';
import type { RawImage } from '../augment/op.js';
import { parsePipeline } from '../augment/pipeline.js';
import { createRng, sampleSeed } from '../augment/rng.js';
import { sampleNode } from '../augment/sample.js';
import type { Db } from '../db/open-db.js';
import type { Job } from '../jobs/job-registry.js';
import { initBackend } from '../train/backend/init-backend.js';
import { decodeAll } from '../train/data/decode-cache.js';
import { prepareRunData } from '../train/data/prepare-run-data.js';
import { predictProbabilities } from '../train/loop/predict.js';
import { argmaxRows } from '../train/metrics/confusion.js';
import { loadModel } from '../train/models/model-files.js';
import { getRunDetail } from '../train/run-store.js';

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

function isHarmful(drop: number, changed: number): boolean {
  return drop >= HARM_ACCURACY_DROP && changed >= HARM_CHANGED;
}

/**
 * For a finished run: applies each top-level op of `pipeline` (always, p = 1, with its sampled
 * parameters) to the run's validation images and compares the model's predictions with those on
 * the untouched images. An op that changes many predictions and costs accuracy is flagged: it
 * likely changes what the label means (a vertical flip of 6 and 9, a hue shift on colour classes).
 */
export async function harmCheck(db: Db, decodedDir: string, input: { runId: string; pipeline: unknown; seed: number; maxImages: number }, job: Job): Promise<HarmReport> {
  const run = getRunDetail(db, input.runId);
  if (run.status !== 'done' || !run.modelPath || !run.data) {
    throw new ApiError('invalid_input', `Run ${input.runId} is ${run.status}: the harm check needs a finished run with a saved model.`);
  }
  const pipeline = parsePipeline(input.pipeline, 'pipeline');
  const size = run.config.size;
  const prepared = prepareRunData(db, run.datasetId, run.config);
  const runColumn = new Map(run.data.classes.map((c, k) => [c.id, k]));
  const val = prepared.sets.val
    .map((s) => ({ ...s, label: runColumn.get(prepared.data.classes[s.label]!.id) ?? -1 }))
    .filter((s) => s.label >= 0)
    .slice(0, input.maxImages);
  if (!val.length) throw new ApiError('invalid_input', `Run ${input.runId} has no validation images left in its dataset to check.`);

  await initBackend(run.config.backend ? { prefer: run.config.backend } : {});
  const model = await loadModel(run.modelPath);
  try {
    const total = pipeline.nodes.length + 1;
    job.progress({ phase: 'decoding', done: 0, total });
    const decoded = await decodeAll(val, size, decodedDir, () => job.throwIfCancelled());
    const raws: RawImage[] = val.map((s) => ({ data: decoded.get(s.id)!, width: size, height: size, channels: 3 }));
    const truth = val.map((s) => s.label);
    const predict = async (images: readonly RawImage[]) => argmaxRows(await predictProbabilities(model, images.map((r) => r.data), size));
    const base = await predict(raws);
    job.progress({ phase: 'checking ops', done: 1, total });

    const classNames = run.data.classes.map((c) => c.name);
    const accuracyOf = (pred: readonly number[], idx: readonly number[]) => (idx.length ? idx.filter((i) => pred[i] === truth[i]).length / idx.length : 0);
    const all = truth.map((_, i) => i);
    const baseAccuracy = accuracyOf(base, all);
    const ops: OpHarm[] = [];
    for (const [index, node] of pipeline.nodes.entries()) {
      job.throwIfCancelled();
      const changedImages: RawImage[] = [];
      for (const [i, raw] of raws.entries()) {
        const rng = createRng(sampleSeed(input.seed, val[i]!.id, index));
        const concrete = sampleNode(node, rng, { width: size, height: size }, true).ops;
        changedImages.push(await applyOps(raw, concrete, { outputSize: { width: size, height: size }, signal: job.signal }));
      }
      const pred = await predict(changedImages);
      const changedShare = (idx: readonly number[]) => (idx.length ? idx.filter((i) => pred[i] !== base[i]).length / idx.length : 0);
      const classes: ClassHarm[] = classNames.flatMap((name, k) => {
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
      job.progress({ phase: 'checking ops', done: index + 2, total });
    }
    return { runId: input.runId, images: val.length, baseAccuracy, ops };
  } finally {
    model.dispose();
  }
}
