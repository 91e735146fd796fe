import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createContext, type AppContext } from '../../../src/core/context.js';
import { compareQueue, resumeComparisons } from '../../../src/core/compare/queue-for-context.js';
import { createComparison } from '../../../src/core/compare/start-comparison.js';
import { claimComparison, getComparison, queueRows } from '../../../src/core/compare/store.js';
import { dispatch } from '../../../src/core/transport/dispatch.js';
import type { ComparisonProgress } from '../../../src/shared/api/compare.js';
import { tinyLibrary } from './helpers.js';

const open: AppContext[] = [];
afterEach(() => {
  for (const c of open.splice(0)) c.close();
});

function until(ctx: AppContext, test: (p: ComparisonProgress) => boolean): Promise<ComparisonProgress> {
  return new Promise((resolve) => {
    const off = ctx.events.onAny((event, payload) => {
      if (event === 'compare.progress' && test(payload as ComparisonProgress)) {
        off();
        resolve(payload as ComparisonProgress);
      }
    });
  });
}

const runsOf = (ctx: AppContext, comparisonId: number) =>
  ctx.db.prepare('SELECT id, status FROM runs WHERE comparison_id = ? ORDER BY created_at').all(comparisonId) as { id: string; status: string }[];

describe('comparison queue', () => {
  it('resumes after a crash: finished runs are kept, the interrupted one reruns, pending ones start', async () => {
    const lib = await tinyLibrary();
    const dataDir = path.join(lib.dir, 'data');
    const { comparisonId } = (await dispatch(lib.ctx, 'compare.start', {
      datasetId: lib.datasetId,
      arms: [{ name: 'raw' }],
      repeats: 3,
      epochs: 1,
      size: 16,
      concurrency: 1,
    })) as { comparisonId: number };
    await until(lib.ctx, (p) => p.comparisonId === comparisonId && p.done === 1 && p.running[0]?.runId != null);
    lib.ctx.close();

    // What a process killed mid-run leaves behind: its rows still 'running', its pid gone (the run
    // manager then marks that run failed).
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid!;
    const ctx = createContext(dataDir);
    open.push(ctx);
    const before = queueRows(ctx.db, comparisonId);
    expect(before.map((r) => r.status)).toEqual(['done', 'pending', 'pending']);
    const interrupted = before[1]!;
    expect(interrupted.runId).not.toBeNull();
    ctx.db.prepare("UPDATE comparison_runs SET status = 'running', attempts = 1 WHERE id = ?").run(interrupted.id);
    ctx.db.prepare("UPDATE runs SET status = 'running', owner_pid = ? WHERE id = ?").run(deadPid, interrupted.runId);
    ctx.db.prepare("UPDATE comparisons SET status = 'running', owner_pid = ?, owner_token = 'gone' WHERE id = ?").run(deadPid, comparisonId);

    expect(resumeComparisons(ctx)).toEqual([comparisonId]);
    await compareQueue(ctx).whenSettled(comparisonId);

    const after = queueRows(ctx.db, comparisonId);
    expect(after.map((r) => r.status)).toEqual(['done', 'done', 'done']);
    expect(after[0]!.runId).toBe(before[0]!.runId);
    expect(after[1]!.runId).not.toBe(interrupted.runId);
    expect(after[1]!.attempts).toBe(2);
    expect(getComparison(ctx.db, comparisonId)).toMatchObject({ status: 'done', ownerPid: process.pid });
    expect(runsOf(ctx, comparisonId).map((r) => r.status).sort()).toEqual(['done', 'done', 'done', 'failed']);
  }, 120_000);

  it('leaves alone a comparison that another live process is running', async () => {
    const lib = await tinyLibrary();
    open.push(lib.ctx);
    const { comparisonId } = createComparison(lib.ctx.db, { datasetId: lib.datasetId, arms: [{ name: 'raw' }], repeats: 2, epochs: 1 });
    const other = spawn('sleep', ['30']);
    try {
      expect(claimComparison(lib.ctx.db, comparisonId, { pid: null, token: null }, { pid: other.pid!, token: 'other' })).toBe(true);
      expect(resumeComparisons(lib.ctx)).toEqual([]);
      expect(queueRows(lib.ctx.db, comparisonId).map((r) => r.status)).toEqual(['pending', 'pending']);
    } finally {
      other.kill();
    }
  });

  it('cancels a whole comparison: the running run stops, pending runs never start', async () => {
    const lib = await tinyLibrary();
    open.push(lib.ctx);
    const { comparisonId } = (await dispatch(lib.ctx, 'compare.start', {
      datasetId: lib.datasetId,
      arms: [{ name: 'raw' }, { name: 'l2', l2: 0.01 }],
      repeats: 2,
      epochs: 3,
      size: 16,
      concurrency: 1,
    })) as { comparisonId: number };
    expect(await dispatch(lib.ctx, 'compare.cancel', { comparisonId })).toEqual({ cancelled: 4 });
    await compareQueue(lib.ctx).whenSettled(comparisonId);

    expect(getComparison(lib.ctx.db, comparisonId).status).toBe('cancelled');
    expect(queueRows(lib.ctx.db, comparisonId).map((r) => r.status)).toEqual(['cancelled', 'cancelled', 'cancelled', 'cancelled']);
    expect(runsOf(lib.ctx, comparisonId).map((r) => r.status)).toEqual(['cancelled']);
    expect(await dispatch(lib.ctx, 'compare.cancel', { comparisonId })).toEqual({ cancelled: 0 });
    await expect(dispatch(lib.ctx, 'compare.remove', { comparisonId })).resolves.toEqual({ ok: true });
  });

  it('refuses bad starts with a clear error before queueing anything', async () => {
    const lib = await tinyLibrary();
    open.push(lib.ctx);
    await expect(dispatch(lib.ctx, 'compare.start', { datasetId: 999, preset: 'raw-vs-aug' })).rejects.toThrow(/no dataset with id 999/);
    await expect(dispatch(lib.ctx, 'compare.start', { datasetId: lib.datasetId })).rejects.toThrow(/either a preset or a list of arms/);
    await expect(
      dispatch(lib.ctx, 'compare.start', { datasetId: lib.datasetId, arms: [{ name: 'a' }], baseline: 'b' }),
    ).rejects.toThrow(/no arm named "b"/);
    expect((await dispatch(lib.ctx, 'compare.list', {})) as { comparisons: unknown[] }).toEqual({ comparisons: [] });
    const { presets } = (await dispatch(lib.ctx, 'compare.presets', {})) as { presets: { id: string; fractions: number[] }[] };
    expect(presets.map((p) => p.id)).toEqual(['raw-vs-aug', 'regularize', 'ablation', 'learning-curve', 'transfer']);
    expect(presets.find((p) => p.id === 'learning-curve')!.fractions).toEqual([0.1, 0.25, 0.5, 1]);
  });
});
