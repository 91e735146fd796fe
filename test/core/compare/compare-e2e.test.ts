import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../src/core/context.js';
import { compareQueue } from '../../../src/core/compare/queue-for-context.js';
import { dispatch } from '../../../src/core/transport/dispatch.js';
import type { ComparisonDetail, ComparisonProgress } from '../../../src/shared/api/compare.js';
import type { RunDetail } from '../../../src/shared/api/train.js';
import { tinyLibrary, tinySettings } from './helpers.js';

describe('a tiny comparison on the generated sample, end to end', () => {
  let ctx: AppContext;
  let datasetId: number;
  beforeAll(async () => {
    ({ ctx, datasetId } = await tinyLibrary());
  });
  afterAll(() => ctx?.close());

  it('runs 2 arms × 2 repeats, pairs them, aggregates, and writes the report', async () => {
    const progress: ComparisonProgress[] = [];
    ctx.events.onAny((event, payload) => {
      if (event === 'compare.progress') progress.push(payload as ComparisonProgress);
    });
    const started = (await dispatch(ctx, 'compare.start', {
      datasetId,
      arms: [{ name: 'raw' }, { name: 'dropout', dropout: 0.3, l2: 0.001 }],
      repeats: 2,
      ...tinySettings,
    })) as { comparisonId: number; runs: number };
    expect(started.runs).toBe(4);
    await compareQueue(ctx).whenSettled(started.comparisonId);

    const c = (await dispatch(ctx, 'compare.get', { comparisonId: started.comparisonId })) as ComparisonDetail;
    expect(c.runs.map((r) => r.error)).toEqual([null, null, null, null]);
    expect(c.status).toBe('done');
    expect(c.done).toBe(4);
    expect(c.arms.map((a) => [a.name, a.runs])).toEqual([['raw', 2], ['dropout', 2]]);
    for (const a of c.arms) {
      expect(a.valAcc.mean).toBeGreaterThanOrEqual(0);
      expect(a.valAcc.ci).not.toBeNull();
      expect(a.macroAuc.n).toBe(2);
    }
    expect(c.vsBaseline).toHaveLength(1);
    expect(c.vsBaseline[0]!.repeats).toBe(2);
    expect(c.verdict).toMatch(/dropout/);
    expect(c.curves.every((k) => k.points.length === 2)).toBe(true);
    expect(progress.at(-1)).toMatchObject({ comparisonId: started.comparisonId, status: 'done', done: 4, pending: 0 });

    // Pairing: within a repeat both arms share every seed, the split and the training subset; repeats differ.
    const runs = await Promise.all(c.runs.map((r) => dispatch(ctx, 'runs.get', { runId: r.runId! }) as Promise<RunDetail>));
    const byRepeat = [0, 1].map((rep) => runs.filter((_, i) => c.runs[i]!.repeat === rep));
    for (const [a, b] of byRepeat.map((pair) => pair as [RunDetail, RunDetail])) {
      expect(a.arm).not.toBe(b.arm);
      for (const key of ['seed', 'splitSeed', 'subsetSeed', 'initSeed', 'dataSeed'] as const) expect(a.config[key]).toBe(b.config[key]);
      expect(a.data).toEqual(b.data);
      expect(a.config.dropout).not.toBe(b.config.dropout);
    }
    expect(byRepeat[0]![0]!.config.seed).not.toBe(byRepeat[1]![0]!.config.seed);
    expect(runs.every((r) => r.comparisonId === started.comparisonId)).toBe(true);

    const files = (await dispatch(ctx, 'compare.report', { comparisonId: started.comparisonId })) as { html: string; json: string; csv: string };
    expect(existsSync(files.html) && existsSync(files.json)).toBe(true);
    expect(readFileSync(files.csv, 'utf8').trim().split('\n')).toHaveLength(5);
    expect(readFileSync(files.html, 'utf8')).toContain('Machine and versions');

    const list = (await dispatch(ctx, 'compare.list', { datasetId })) as { comparisons: { id: number; verdict: string | null }[] };
    expect(list.comparisons[0]).toMatchObject({ id: started.comparisonId, verdict: c.verdict });
  });
});
