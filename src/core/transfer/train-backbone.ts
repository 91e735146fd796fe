import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../../shared/api/errors.js';
import type { RunProgressEvent } from '../../shared/api/train.js';
import type { BackboneInfo } from '../../shared/api/transfer.js';
import type { AppContext } from '../context.js';
import { getDataset } from '../library/datasets.js';
import type { Job } from '../jobs/job-registry.js';
import { runManager } from '../train/run-manager.js';
import { assertFreeName, installBackbone, stagingDir } from './backbone-store.js';
import { removeQuietly } from './download.js';

export interface TrainBackboneInput {
  datasetId: number;
  name: string;
  size: number;
  epochs: number;
  filters?: number[] | undefined;
  seed: number;
}

/**
 * "Your own backbone": trains the studio's CNN on a (larger) labeled dataset as an ordinary run,
 * then keeps its model in the cache with the dataset, run and validation accuracy as provenance.
 */
export async function trainBackbone(ctx: AppContext, input: TrainBackboneInput, job?: Job): Promise<BackboneInfo> {
  const root = ctx.paths.backbones;
  assertFreeName(root, input.name);
  const dataset = getDataset(ctx.db, input.datasetId);
  const manager = runManager(ctx);
  const runId = manager.startRun({
    datasetId: dataset.id,
    config: { model: 'cnn', size: input.size, epochs: input.epochs, seed: input.seed, ...(input.filters ? { filters: input.filters } : {}) },
  });
  const off = ctx.events.onAny((event, payload) => {
    if (event !== 'run.progress' || !job) return;
    const p = payload as RunProgressEvent;
    if (p.runId !== runId) return;
    const training = p.phase === 'training';
    job.progress({ phase: training ? `training epoch ${p.epoch}/${p.epochs}` : p.phase, done: training ? p.done : 0, total: training ? p.total : null });
  });
  const onAbort = () => manager.cancel(runId);
  job?.signal.addEventListener('abort', onAbort, { once: true });
  let run;
  try {
    run = await manager.waitForRun(runId);
  } finally {
    off();
    job?.signal.removeEventListener('abort', onAbort);
  }
  if (run.status === 'cancelled') throw new ApiError('cancelled', `Training backbone "${input.name}" was cancelled.`);
  if (run.status !== 'done' || !run.modelPath) throw new ApiError('io_error', `Training backbone "${input.name}" failed: ${run.error ?? 'the run did not finish'}`);
  const detail = manager.getRun(runId);
  const staging = await stagingDir(root, input.name);
  try {
    for (const f of ['model.json', 'weights.bin', 'labels.json']) await copyFile(path.join(run.modelPath, f), path.join(staging, f));
  } catch (err) {
    await removeQuietly(staging);
    throw new ApiError('io_error', `Cannot copy the model of run ${runId} into the backbone cache: ${(err as Error).message}`);
  }
  return installBackbone(root, input.name, staging, {
    inputSize: input.size,
    preprocessing: 'unit',
    source: 'trained',
    provenance: {
      url: null,
      folder: null,
      dataset: dataset.name,
      runId,
      classes: detail.metrics?.classes ?? null,
      valAcc: detail.metrics?.valAcc ?? null,
    },
  });
}
