import { ApiError } from '../../shared/api/errors.js';
import { parsePipeline } from '../augment/pipeline.js';
import type { AppContext } from '../context.js';
import type { Job } from '../jobs/job-registry.js';
import { prepareRunData } from '../train/data/prepare-run-data.js';
import { getRunDetail } from '../train/run-store.js';
import { runWorkerTask } from '../train/worker/worker-task.js';
import type { HarmReport } from './harm-measure.js';

export { HARM_ACCURACY_DROP, HARM_CHANGED, type ClassHarm, type HarmReport, type OpHarm } from './harm-measure.js';

/**
 * For a finished run: applies each top-level op of `pipeline` (always, p = 1, with its sampled
 * parameters) to the run's validation images and compares the model's predictions with those on
 * the untouched images. An op that changes many predictions and costs accuracy is flagged: it
 * likely changes what the label means (a vertical flip of 6 and 9, a hue shift on colour classes).
 * The model runs in a training process of its own; cancelling kills it.
 */
export async function harmCheck(
  ctx: Pick<AppContext, 'db' | 'paths' | 'host' | 'onClose'>,
  input: { runId: string; pipeline: unknown; seed: number; maxImages: number },
  job: Job,
): Promise<HarmReport> {
  const run = getRunDetail(ctx.db, input.runId);
  if (run.status !== 'done' || !run.modelPath || !run.data) {
    throw new ApiError('invalid_input', `Run ${input.runId} is ${run.status}: the harm check needs a finished run with a saved model.`);
  }
  // Checked here too, so a bad pipeline is a clear error before any process starts.
  parsePipeline(input.pipeline, 'pipeline');
  const prepared = prepareRunData(ctx.db, run.datasetId, run.config);
  const runColumn = new Map(run.data.classes.map((c, k) => [c.id, k]));
  const val = prepared.sets.val
    .map((s) => ({ ...s, label: runColumn.get(prepared.data.classes[s.label]!.id) ?? -1 }))
    .filter((s) => s.label >= 0)
    .slice(0, input.maxImages);
  if (!val.length) throw new ApiError('invalid_input', `Run ${input.runId} has no validation images left in its dataset to check.`);
  job.progress({ phase: 'starting', done: 0, total: null });
  return runWorkerTask(
    ctx,
    {
      kind: 'harm-check',
      input: {
        runId: input.runId,
        modelPath: run.modelPath,
        size: run.config.size,
        backend: run.config.backend ?? null,
        classNames: run.data.classes.map((c) => c.name),
        val,
        pipeline: input.pipeline,
        seed: input.seed,
        decodedDir: ctx.paths.decoded,
      },
    },
    job,
  );
}
