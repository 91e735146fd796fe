import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type AppContext } from '../../src/core/context.js';
import { readCheckpointHeader } from '../../src/core/train/checkpoint/checkpoint-file.js';
import { compareQueue } from '../../src/core/compare/queue-for-context.js';
import { runManager } from '../../src/core/train/run-manager.js';
import { dispatch } from '../../src/core/transport/dispatch.js';
import { ApiError } from '../../src/shared/api/errors.js';
import type { RunDetail, RunStatusEvent, TrainConfigInput } from '../../src/shared/api/train.js';
import { writeTinyDataset } from '../core/train/helpers/tiny-dataset.js';

let dir: string;
let ctx: AppContext;
let datasetId: number;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'smallset-resume-'));
  ctx = createContext(path.join(dir, 'data'));
  ({ datasetId } = await writeTinyDataset(ctx.db, path.join(dir, 'images'), 'tiny', { splits: 'folders', perClass: 12 }));
});

afterAll(() => {
  ctx.close();
  rmSync(dir, { recursive: true, force: true });
});

// Everything that carries state or randomness from epoch to epoch: Adam's slots and β powers,
// seeded dropout masks, batch norm statistics, MixUp draws, augmentation, early stopping's kept weights.
const config: TrainConfigInput = {
  size: 16,
  batchSize: 8,
  epochs: 6,
  seed: 5,
  dropout: 0.3,
  batchNorm: true,
  mixup: 0.2,
  earlyStopping: { patience: 20, monitor: 'valAcc' },
  pipeline: { version: 1, ops: [{ op: 'hflip', p: 0.5 }] },
};

const modelDir = (runId: string) => path.join(ctx.paths.models, runId);
const withoutTimes = (run: RunDetail) => ({
  epochs: run.epochs.map(({ seconds: _s, ...e }) => e),
  metrics: run.metrics ? { ...run.metrics, seconds: 0 } : null,
});

describe('resuming a killed training run', () => {
  it('continues from the last epoch checkpoint and ends exactly as the uninterrupted run', { timeout: 240_000 }, async () => {
    const manager = runManager(ctx);
    const reference = manager.startRun({ datasetId, config });
    expect((await manager.waitForRun(reference)).status).toBe('done');

    const statuses: RunStatusEvent[] = [];
    let kills = 0;
    ctx.events.onAny((event, payload) => {
      const p = payload as { runId: string; epoch?: number };
      if (p.runId === reference) return;
      if (event === 'run.status') statuses.push(payload as RunStatusEvent);
      // Epoch 3 is reported after epoch 2's checkpoint was written: kill -9 the training process there.
      if (event === 'run.epoch' && p.epoch === 3 && kills++ === 0) process.kill(manager.workerPid(p.runId)!, 'SIGKILL');
    });
    const runId = manager.startRun({ datasetId, config });
    const killed = await manager.waitForRun(runId);
    expect([killed.status, killed.errorCode]).toEqual(['failed', 'crashed']);
    expect(statuses.at(-1)).toMatchObject({ status: 'failed', errorCode: 'crashed' });
    const saved = await readCheckpointHeader(modelDir(runId));
    expect(saved?.epoch).toBeGreaterThanOrEqual(2);
    expect(saved!.epoch).toBeLessThan(6);
    // The run's record says where a resume would continue, so the app can offer it.
    expect(((await dispatch(ctx, 'runs.get', { runId })) as RunDetail).resumeFrom).toBe(saved!.epoch + 1);

    const resumed = (await dispatch(ctx, 'runs.resume', { runId })) as { runId: string; fromEpoch: number };
    expect(resumed).toEqual({ runId, fromEpoch: saved!.epoch + 1 });
    const ended = await manager.waitForRun(runId);
    expect([ended.status, ended.error, ended.errorCode]).toEqual(['done', null, null]);
    expect(statuses.map((s) => s.status)).toEqual(['queued', 'running', 'failed', 'queued', 'running', 'done']);

    const a = (await dispatch(ctx, 'runs.get', { runId: reference })) as RunDetail;
    const b = (await dispatch(ctx, 'runs.get', { runId })) as RunDetail;
    expect(b.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(withoutTimes(b)).toEqual(withoutTimes(a));
    expect(b.resumeFrom).toBeNull();
    expect(readFileSync(path.join(modelDir(runId), 'weights.bin')).equals(readFileSync(path.join(modelDir(reference), 'weights.bin')))).toBe(true);
    // The checkpoint goes once the model is saved.
    const deadline = Date.now() + 5000;
    while (existsSync(path.join(modelDir(runId), 'checkpoint.bin')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(path.join(modelDir(runId), 'checkpoint.bin'))).toBe(false);

    await expect(dispatch(ctx, 'runs.resume', { runId })).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/is done; only a failed or cancelled run/) });
  });

  it('refuses a run with no checkpoint and a run whose dataset changed, naming why', { timeout: 120_000 }, async () => {
    const manager = runManager(ctx);
    // Cancelled before its first epoch ended: nothing to resume from.
    const early = manager.startRun({ datasetId, config: { ...config, epochs: 50 } });
    manager.cancel(early);
    expect((await manager.waitForRun(early)).status).toBe('cancelled');
    await expect(dispatch(ctx, 'runs.resume', { runId: early })).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/has no checkpoint/) });
    expect(((await dispatch(ctx, 'runs.get', { runId: early })) as RunDetail).resumeFrom).toBeNull();

    // Cancelled after two epochs, then an image is relabeled: the run would train on other data.
    const runId = manager.startRun({ datasetId, config: { ...config, epochs: 50 } });
    await new Promise<void>((resolve) => {
      const off = ctx.events.onAny((event, payload) => {
        if (event === 'run.epoch' && (payload as { runId: string; epoch: number }).runId === runId && (payload as { epoch: number }).epoch === 2) {
          off();
          manager.cancel(runId);
          resolve();
        }
      });
    });
    expect((await manager.waitForRun(runId)).status).toBe('cancelled');
    expect(((await dispatch(ctx, 'runs.get', { runId })) as RunDetail).resumeFrom).toBeGreaterThanOrEqual(3);
    const image = ctx.db.prepare("SELECT i.id, c.id AS classId FROM images i JOIN classes c ON c.id != i.class_id AND c.dataset_id = i.dataset_id WHERE i.dataset_id = ? AND i.split = 'train' LIMIT 1").get(datasetId) as { id: number; classId: number };
    await dispatch(ctx, 'images.label', { imageIds: [image.id], classId: image.classId });
    const refused = await dispatch(ctx, 'runs.resume', { runId }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ code: 'conflict', message: expect.stringMatching(/dataset changed since it started/) });
  });

  it("refuses an arm of a comparison (the comparison's queue owns its outcome) and offers no resume for it", { timeout: 60_000 }, async () => {
    const { comparisonId } = (await dispatch(ctx, 'compare.start', { datasetId, preset: 'raw-vs-aug', repeats: 1, epochs: 1, size: 16 })) as { comparisonId: number };
    await dispatch(ctx, 'compare.cancel', { comparisonId });
    await compareQueue(ctx).whenSettled(comparisonId);
    const { runs } = (await dispatch(ctx, 'runs.list', { comparisonId })) as { runs: { id: string }[] };
    const arm = runs[0]!;
    await runManager(ctx).waitForRun(arm.id);
    expect(((await dispatch(ctx, 'runs.get', { runId: arm.id })) as RunDetail).resumeFrom).toBeNull();
    await expect(dispatch(ctx, 'runs.resume', { runId: arm.id })).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/is an arm of comparison/) });
  });
});
