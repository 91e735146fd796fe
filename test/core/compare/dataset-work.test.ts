import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../src/core/context.js';
import { runManager } from '../../../src/core/train/run-manager.js';
import { dispatch } from '../../../src/core/transport/dispatch.js';
import { tinyLibrary } from './helpers.js';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const count = (ctx: AppContext, sql: string, datasetId: number) => (ctx.db.prepare(sql).pluck().get(datasetId) as number) ?? 0;

describe('removing a dataset that is training', () => {
  let ctx: AppContext | undefined;
  afterAll(() => ctx?.close());

  it('cancels its comparisons and runs, waits for their workers, then removes it with its runs and model files', async () => {
    const lib = await tinyLibrary();
    ctx = lib.ctx;
    const { datasetId } = lib;
    const manager = runManager(ctx);
    const finished = manager.startRun({ datasetId, config: { size: 16, epochs: 1, seed: 1 } });
    expect((await manager.waitForRun(finished)).status).toBe('done');
    const modelDir = path.join(ctx.paths.models, finished);
    expect(existsSync(modelDir)).toBe(true);

    const { comparisonId } = (await dispatch(ctx, 'compare.start', { datasetId, arms: [{ name: 'raw' }, { name: 'dropout', dropout: 0.3 }], epochs: 300, size: 16, concurrency: 1 })) as {
      comparisonId: number;
    };
    const long = manager.startRun({ datasetId, config: { size: 16, epochs: 300, seed: 2 } });
    const errors: unknown[] = [];
    const onError = (err: unknown) => errors.push(err);
    process.on('uncaughtException', onError);
    try {
      // Wait until a worker is training, so the removal meets a live process.
      const pid = await new Promise<number>((resolve) => {
        const off = ctx!.events.onAny((event, payload) => {
          const runId = (payload as { runId?: string }).runId;
          if (event === 'run.epoch' && runId) {
            off();
            resolve(manager.workerPid(runId)!);
          }
        });
      });
      expect(isAlive(pid)).toBe(true);
      expect(await dispatch(ctx, 'datasets.remove', { datasetId })).toEqual({ removed: true });
      expect(isAlive(pid)).toBe(false);
      expect(manager.pending).toBe(0);
      expect(count(ctx, 'SELECT COUNT(*) FROM runs WHERE dataset_id = ?', datasetId)).toBe(0);
      expect(count(ctx, 'SELECT COUNT(*) FROM comparisons WHERE dataset_id = ?', datasetId)).toBe(0);
      expect(ctx.db.prepare('SELECT COUNT(*) FROM comparison_runs WHERE comparison_id = ?').pluck().get(comparisonId)).toBe(0);
      expect(existsSync(modelDir)).toBe(false);
      await expect(dispatch(ctx, 'runs.get', { runId: long })).rejects.toMatchObject({ code: 'not_found' });
      // Nothing of the stopped work writes afterwards.
      await new Promise((r) => setTimeout(r, 300));
      expect(errors).toEqual([]);
    } finally {
      process.off('uncaughtException', onError);
    }
  });
});
