import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunDetail, TrainConfigInput } from '../../../src/shared/api/train.js';
import { createContext, type AppContext } from '../../../src/core/context.js';
import { importFolder } from '../../../src/core/library/import-folder.js';
import { writeSampleDataset } from '../../../src/core/library/sample-dataset.js';
import { initBackend } from '../../../src/core/train/backend/init-backend.js';
import { decodeForTraining } from '../../../src/core/train/data/decode-cache.js';
import { loadModel } from '../../../src/core/train/models/model-files.js';
import { crashCode, crashMessage, RunManager, runManager } from '../../../src/core/train/run-manager.js';
import { tsxLoaderUrl } from '../../../src/core/train/tsx-paths.js';
import { forkLauncher, WORKER_ENTRY } from '../../../src/core/train/worker/fork-worker.js';
import { utilityLauncher, type UtilityProcessLike } from '../../../src/core/train/worker/utility-launcher.js';
import { dispatch } from '../../../src/core/transport/dispatch.js';
import { writeTinyDataset, type TinyDatasetOptions } from './helpers/tiny-dataset.js';

const contexts: AppContext[] = [];
afterEach(() => {
  for (const ctx of contexts.splice(0)) ctx.close();
});

async function setUp(opts: TinyDatasetOptions = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'smallset-train-'));
  const ctx = createContext(path.join(dir, 'data'));
  contexts.push(ctx);
  const { datasetId, imageIds } = await writeTinyDataset(ctx.db, path.join(dir, 'images'), 'tiny', opts);
  return { dir, ctx, datasetId, imageIds };
}

const tiny: TrainConfigInput = { size: 16, batchSize: 8, epochs: 4, seed: 1 };

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function firstEpoch(ctx: AppContext, runId: string): Promise<void> {
  await new Promise<void>((resolve) => {
    const off = ctx.events.onAny((event, payload) => {
      if (event === 'run.epoch' && (payload as { runId: string }).runId === runId) {
        off();
        resolve();
      }
    });
  });
}

describe('training runs', () => {
  it('trains a small CNN in a worker process well above chance and stores curves, metrics and a loadable model', async () => {
    const { ctx, datasetId } = await setUp({ splits: 'none', perClass: 15 });
    const statuses: string[] = [];
    ctx.events.onAny((event, payload) => {
      if (event === 'run.status') statuses.push((payload as { status: string }).status);
    });
    const { runId } = (await dispatch(ctx, 'train.start', { datasetId, ...tiny, epochs: 6, dropout: 0.2 })) as { runId: string };
    const ended = await runManager(ctx).waitForRun(runId);
    expect(ended.error).toBeNull();
    expect(ended.status).toBe('done');
    expect(statuses).toEqual(['queued', 'running', 'done']);

    const run = (await dispatch(ctx, 'runs.get', { runId })) as RunDetail;
    // The best backend this machine has (wasm here: tfjs-node cannot install), as this process would pick it.
    expect(run.backend).toBe((await initBackend()).name);
    expect(run.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    // No splits in the dataset: a seeded 80/20 hold-out, recorded with the run.
    expect(run.data?.split).toEqual({ mode: 'auto', train: 0.8, val: 0.2, seed: 1 });
    expect(run.data?.counts).toEqual({ train: 36, val: 9, test: 0 });
    const m = run.metrics!;
    expect(m.valAcc).toBeGreaterThanOrEqual(0.7); // chance is 1/3
    expect(m.val.confusion.flat().reduce((a, b) => a + b, 0)).toBe(9);
    expect(m.gap).toBeCloseTo(m.trainAcc - m.valAcc, 12);
    expect(m.val.perClass.map((c) => c.name)).toEqual(['class0', 'class1', 'class2']);
    expect(m.val.macroAuc).not.toBeNull();
    expect(m.test).toBeNull();

    // The saved model predicts the validation images exactly as the run measured.
    expect(run.modelPath).toBe(path.join(ctx.paths.models, runId));
    const labels = JSON.parse(readFileSync(path.join(run.modelPath!, 'labels.json'), 'utf8'));
    expect(labels.classes).toEqual(m.classes);
    const model = await loadModel(run.modelPath!);
    const valRows = ctx.db
      .prepare('SELECT i.id, i.rel_path AS rel, i.hash, c.name FROM images i JOIN classes c ON c.id = i.class_id ORDER BY i.id')
      .all() as { id: number; rel: string; hash: string; name: string }[];
    const root = (ctx.db.prepare('SELECT root FROM datasets WHERE id = ?').get(datasetId) as { root: string }).root;
    let right = 0;
    let n = 0;
    for (const r of valRows) {
      const pixels = await decodeForTraining({ path: path.join(root, r.rel), key: r.hash }, 16, ctx.paths.decoded);
      const x = tf.tensor4d(Float32Array.from(pixels, (v) => v / 255), [1, 16, 16, 3]);
      const predicted = (model.predict(x) as tf.Tensor).argMax(-1).dataSync()[0]!;
      n++;
      if (labels.classes[predicted] === r.name) right++;
    }
    expect(n).toBe(45);
    expect(right / n).toBeGreaterThanOrEqual(0.7);
  });

  it('learns the generated sample, where only the shape tells the class, clearly above chance at 16 px', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'smallset-train-sample-'));
    const ctx = createContext(path.join(dir, 'data'));
    contexts.push(ctx);
    await writeSampleDataset(path.join(dir, 'shapes'), { classes: 2, perClass: 30, size: 32, seed: 0 });
    const { datasetId } = await importFolder(ctx, { path: path.join(dir, 'shapes'), name: 'shapes' });
    // The run's own seeded, stratified 80/20 hold-out: 12 validation images.
    ctx.db.prepare('UPDATE images SET split = NULL, split_source = NULL').run();
    // Colour and polarity are random in every class, so a tiny CNN needs batch norm and a few dozen steps.
    const config = { size: 16, epochs: 20, batchSize: 8, batchNorm: true, learningRate: 0.003, seed: 0 };
    const manager = runManager(ctx);
    const runId = manager.startRun({ datasetId, config });
    expect((await manager.waitForRun(runId)).status).toBe('done');
    const m = manager.getRun(runId).metrics!;
    expect(m.val.n).toBe(12);
    expect(m.valAcc).toBeGreaterThanOrEqual(0.75); // chance is 1/2
    expect(m.trainAcc).toBeGreaterThanOrEqual(0.9);
  });

  it('is reproducible with augmentation, dropout and MixUp: the same seeds give the same curves; another init seed does not', async () => {
    const { ctx, datasetId } = await setUp({ splits: 'folders', perClass: 10 });
    const manager = runManager(ctx);
    manager.concurrency = 2;
    const pipeline = { version: 1 as const, ops: [{ op: 'hflip', p: 0.5 }, { op: 'rotate', p: 1, degrees: [-15, 15], fill: 'reflect' }] };
    const config = { ...tiny, epochs: 2, dropout: 0.3, mixup: 0.4, pipeline };
    const ids = [
      manager.startRun({ datasetId, config }),
      manager.startRun({ datasetId, config }),
      manager.startRun({ datasetId, config: { ...config, initSeed: 99 } }),
    ];
    const ended = await Promise.all(ids.map((id) => manager.waitForRun(id)));
    expect(ended.map((r) => r.status)).toEqual(['done', 'done', 'done']);
    const [a, b, c] = ids.map((id) => manager.getRun(id).epochs.map(({ loss, valLoss }) => [loss, valLoss]));
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('early stopping stops after `patience` epochs without improvement and keeps the best epoch’s weights', async () => {
    const { ctx, datasetId } = await setUp({ splits: 'folders', perClass: 10 });
    const manager = runManager(ctx);
    // minDelta 1 on accuracy: nothing after epoch 1 can count as better, so it stops after epoch 1 + patience.
    const runId = manager.startRun({
      datasetId,
      config: { ...tiny, epochs: 20, earlyStopping: { monitor: 'valAcc', patience: 2, minDelta: 1 } },
    });
    expect((await manager.waitForRun(runId)).status).toBe('done');
    const run = manager.getRun(runId);
    expect(run.epochs).toHaveLength(3);
    expect(run.metrics!.stopReason).toBe('early_stopping');
    expect(run.metrics!.bestEpoch).toBe(1);
    // The final evaluation ran on the restored epoch-1 weights, not on epoch 3's.
    expect(run.metrics!.val.loss!).toBeCloseTo(run.epochs[0]!.valLoss!, 5);
    expect(run.epochs[2]!.valLoss).not.toBeCloseTo(run.epochs[0]!.valLoss!, 5);
  });

  it('cancel stops a running worker: the run is cancelled and its process is gone', async () => {
    const { ctx, datasetId } = await setUp({ splits: 'folders', perClass: 10 });
    const manager = runManager(ctx);
    const runId = manager.startRun({ datasetId, config: { ...tiny, epochs: 500 } });
    await firstEpoch(ctx, runId);
    const pid = manager.workerPid(runId)!;
    expect(isAlive(pid)).toBe(true);
    const { cancelled } = (await dispatch(ctx, 'train.cancel', { runId })) as { cancelled: boolean };
    expect(cancelled).toBe(true);
    const ended = await manager.waitForRun(runId);
    expect(ended.status).toBe('cancelled');
    expect(ended.epochsDone).toBeLessThan(500);
    expect(isAlive(pid)).toBe(false);
    expect(manager.pending).toBe(0);
  });

  it('a run deleted with its dataset by another process stops its worker and ends for its waiters', async () => {
    const { ctx, datasetId } = await setUp({ splits: 'folders', perClass: 4 });
    // A second manager on the same library stands for another process (the CLI while the app removes the dataset).
    const other = new RunManager(ctx, { concurrency: 1 });
    const runId = other.startRun({ datasetId, config: { ...tiny, epochs: 500 } });
    await firstEpoch(ctx, runId);
    const pid = other.workerPid(runId)!;
    ctx.db.prepare('DELETE FROM datasets WHERE id = ?').run(datasetId);
    const ended = await other.waitForRun(runId);
    expect(ended.status).toBe('cancelled');
    expect(isAlive(pid)).toBe(false);
    expect(other.pending).toBe(0);
    other.close();
  });

  it('a worker that dies marks its run failed with the reason while the manager keeps working', async () => {
    const { ctx, datasetId } = await setUp({ splits: 'folders', perClass: 10 });
    const manager = runManager(ctx);
    const runId = manager.startRun({ datasetId, config: { ...tiny, epochs: 500 } });
    await firstEpoch(ctx, runId);
    process.kill(manager.workerPid(runId)!, 'SIGKILL');
    const ended = await manager.waitForRun(runId);
    expect(ended.status).toBe('failed');
    expect(ended.error).toMatch(/killed \(SIGKILL\)/);
    expect(ended.errorCode).toBe('crashed');
    const next = manager.startRun({ datasetId, config: { ...tiny, epochs: 1 } });
    expect((await manager.waitForRun(next)).status).toBe('done');
  });

  it('an error inside the worker fails the run with its message (an image that became unreadable)', async () => {
    const { ctx, datasetId, dir } = await setUp({ splits: 'folders', perClass: 6 });
    const broken = path.join(dir, 'images', 'train', 'class1', 'img2.png');
    writeFileSync(broken, 'not an image any more');
    const manager = runManager(ctx);
    const runId = manager.startRun({ datasetId, config: tiny });
    const ended = await manager.waitForRun(runId);
    expect(ended.status).toBe('failed');
    expect(ended.error).toContain(broken);
    expect(ended.error).toMatch(/rescan/);
    expect(ended.errorCode).toBe('io_error');
  });

  it('a worker that throws fails its run with the thrown message and code; one that runs out of memory says so; SMALLSET_TF_BACKEND picks the recorded backend', async () => {
    const { ctx, datasetId } = await setUp({ splits: 'folders', perClass: 4 });
    // A real worker whose training throws a plain Error (no backend of that name) before any epoch.
    const throwing = new RunManager(ctx, { launcher: forkLauncher({ env: { ...process.env, SMALLSET_TF_BACKEND: 'quantum' } }), concurrency: 1 });
    const thrown = await throwing.waitForRun(throwing.startRun({ datasetId, config: tiny }));
    expect([thrown.status, thrown.errorCode]).toEqual(['failed', 'internal']);
    expect(thrown.error).toMatch(/SMALLSET_TF_BACKEND="quantum" is not a backend/);
    throwing.close();
    // SMALLSET_TF_BACKEND forces the backend, and the run records the one it trained on.
    const forced = new RunManager(ctx, { launcher: forkLauncher({ env: { ...process.env, SMALLSET_TF_BACKEND: 'cpu' } }), concurrency: 1 });
    const onCpu = await forced.waitForRun(forced.startRun({ datasetId, config: { ...tiny, epochs: 1, filters: [4, 8] } }));
    expect([onCpu.status, onCpu.backend]).toEqual(['done', 'cpu']);
    forced.close();
    // A worker whose heap is far too small for TensorFlow.js dies with V8's out-of-memory report.
    const starved = new RunManager(ctx, { launcher: forkLauncher({ execArgv: ['--max-old-space-size=8'] }), concurrency: 1 });
    const oom = await starved.waitForRun(starved.startRun({ datasetId, config: tiny }));
    expect([oom.status, oom.errorCode]).toEqual(['failed', 'out_of_memory']);
    expect(oom.error).toMatch(/ran out of memory/);
    starved.close();
    expect((await dispatch(ctx, 'runs.get', { runId: oom.id })) as RunDetail).toMatchObject({ errorCode: 'out_of_memory' });
  });

  it('refuses clearly before queueing: unknown dataset, nothing labeled, bad settings', async () => {
    const { ctx, datasetId } = await setUp({ splits: 'folders', perClass: 4 });
    await expect(dispatch(ctx, 'train.start', { datasetId: 999 })).rejects.toMatchObject({ code: 'not_found' });
    ctx.db.prepare('UPDATE images SET class_id = NULL').run();
    await expect(dispatch(ctx, 'train.start', { datasetId })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/no labeled images/) });
    await expect(dispatch(ctx, 'train.start', { datasetId, dropout: 2 })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/dropout/) });
    await expect(
      dispatch(ctx, 'train.start', { datasetId, pipeline: { version: 1, ops: [{ op: 'spin' }] } }),
    ).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/unknown op "spin"/) });
    expect((await dispatch(ctx, 'runs.list', {})) as { runs: unknown[] }).toEqual({ runs: [] });
  });

  it('trains on a seeded share of each class, records arm and repeat, then lists, gets and deletes the run with its model', async () => {
    const { ctx, datasetId } = await setUp({ splits: 'folders', perClass: 10 });
    const manager = runManager(ctx);
    const runId = manager.startRun({ datasetId, config: { ...tiny, epochs: 1, trainFraction: 0.5, subsetSeed: 4, batchNorm: true }, arm: 'raw', repeat: 0 });
    await manager.waitForRun(runId);
    const run = manager.getRun(runId);
    expect(run.data?.counts).toEqual({ train: 12, val: 6, test: 0 }); // ⌈0.5 · 8⌉ = 4 of each class's 8
    expect([run.arm, run.repeat, run.comparisonId, run.config.subsetSeed]).toEqual(['raw', 0, null, 4]);
    const list = (await dispatch(ctx, 'runs.list', { datasetId })) as { runs: { id: string; status: string; epochsDone: number }[] };
    expect(list.runs.map((r) => [r.id, r.status, r.epochsDone])).toEqual([[runId, 'done', 1]]);
    const dir = path.join(ctx.paths.models, runId);
    expect(existsSync(path.join(dir, 'model.json'))).toBe(true);
    expect(await dispatch(ctx, 'runs.delete', { runId })).toEqual({ deleted: true });
    expect(existsSync(dir)).toBe(false);
    await expect(dispatch(ctx, 'runs.get', { runId })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('runs through a utilityProcess-shaped launcher (what Electron’s main passes in) as through fork', async () => {
    const { ctx, datasetId } = await setUp({ splits: 'folders', perClass: 4 });
    // Shaped like Electron's UtilityProcess: postMessage, 'message', 'exit' with a code, kill().
    const standIn = (): UtilityProcessLike => {
      const child = fork(WORKER_ENTRY, [], { execArgv: ['--import', tsxLoaderUrl()], stdio: ['ignore', 'pipe', 'pipe', 'ipc'], serialization: 'advanced' });
      return {
        get pid() {
          return child.pid;
        },
        stdout: child.stdout,
        stderr: child.stderr,
        postMessage: (m) => void child.send(m as object),
        on: (event: 'message' | 'exit', listener: (x: never) => void) => child.on(event, (x: unknown) => listener((x ?? 1) as never)),
        kill: () => child.kill(),
      };
    };
    const manager = new RunManager(ctx, { launcher: utilityLauncher(standIn), concurrency: 1 });
    const runId = manager.startRun({ datasetId, config: { ...tiny, epochs: 1 } });
    const ended = await manager.waitForRun(runId);
    expect([ended.status, ended.error, ended.epochsDone]).toEqual(['done', null, 1]);
    manager.close();
  });
});

describe('crash reports', () => {
  it('tells an out-of-memory death from other crashes by the process output', () => {
    const v8 = 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory';
    expect([crashCode(v8), crashMessage(134, null, v8)]).toEqual(['out_of_memory', 'The training process ran out of memory; try a smaller image size or batch size.']);
    expect([crashCode('Segmentation fault'), crashMessage(139, null, 'boot\nSegmentation fault\n')]).toEqual([
      'crashed',
      'The training process exited with code 139 before finishing: Segmentation fault',
    ]);
  });
});
