import { afterEach, describe, expect, it } from 'vitest';
import { importFolder } from '../../../src/core/library/import-folder.js';
import { taskWorkerPid } from '../../../src/core/train/worker/worker-task.js';
import { dispatch } from '../../../src/core/transport/dispatch.js';
import type { JobProgress } from '../../../src/shared/api/events.js';
import { sandbox, type Sandbox } from '../library/fixtures.js';
import { save, scene } from './scenes.js';

let box: Sandbox;
afterEach(() => box?.cleanup());

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('mislabel check in a training process', () => {
  it('trains the folds in a child process that reports progress, keeps the API answering, and is gone once cancelled', async () => {
    box = sandbox('smallset-mislabel-worker-');
    for (let i = 0; i < 6; i++) {
      save(box.at('d', 'a', `${i}.png`), await scene(100 + i, 16));
      save(box.at('d', 'b', `${i}.png`), await scene(200 + i, 16));
    }
    const { datasetId } = await importFolder(box.ctx, { path: box.at('d') });
    const jobId = 'mislabels-worker-test';
    const folds: JobProgress[] = [];
    const training = new Promise<void>((resolve) => {
      const off = box.ctx.events.onAny((name, payload) => {
        const p = payload as JobProgress;
        if (name !== 'job.progress' || p.jobId !== jobId || !p.phase?.startsWith('fold')) return;
        folds.push(p);
        off();
        resolve();
      });
    });
    // Far more epochs than the test waits for, without early stopping: it only ends by cancel.
    const running = dispatch(box.ctx, 'quality.findMislabels', { datasetId, folds: 2, epochs: 100, size: 8, model: 'mlp', patience: 0, jobId });
    const outcome = running.then(
      () => 'finished',
      (err: { code?: string }) => err.code,
    );
    await training;
    expect(folds[0]).toMatchObject({ kind: 'mislabels', phase: 'fold 1 of 2' });
    const pid = taskWorkerPid(jobId);
    expect(pid).toBeTypeOf('number');
    expect(pid).not.toBe(process.pid);
    expect(alive(pid!)).toBe(true);

    // The engine's process is free meanwhile: an API call answers at once.
    const asked = performance.now();
    await dispatch(box.ctx, 'quality.summary', { datasetId });
    expect(performance.now() - asked).toBeLessThan(2000);

    expect(await dispatch(box.ctx, 'jobs.cancel', { jobId })).toEqual({ cancelled: true });
    expect(await outcome).toBe('cancelled');
    // The job settles only once its process has exited.
    expect(alive(pid!)).toBe(false);
    expect(taskWorkerPid(jobId)).toBeUndefined();
    const { suspects } = (await dispatch(box.ctx, 'quality.suspects', { datasetId })) as { suspects: unknown[] };
    expect(suspects).toEqual([]);
  }, 90_000);
});
