import { describe, expect, it } from 'vitest';
import type { ComparisonConfig } from '../../../src/shared/api/compare.js';
import { aggregate, type RunForResults } from '../../../src/core/compare/results.js';

const arm = (name: string) => ({ name, pipeline: null, l1: 0, l2: 0, dropout: 0, batchNorm: false, earlyStopping: null });
const config = (fractions = [1]): ComparisonConfig => ({
  arms: [arm('raw'), arm('augmented')],
  baseline: 'raw',
  repeats: 3,
  fractions,
  epochs: 2,
  size: 24,
  seed: 0,
  concurrency: 1,
});

function run(armIndex: number, repeat: number, valAcc: number, trainAcc: number, extra: Partial<RunForResults> = {}): RunForResults {
  return {
    armIndex,
    arm: armIndex === 0 ? 'raw' : 'augmented',
    repeat,
    fraction: 1,
    status: 'done',
    outcome: {
      trainAcc,
      valAcc,
      testAcc: null,
      macroAuc: valAcc + 0.1,
      epochs: 2,
      backend: 'cpu',
      curve: [
        { epoch: 1, trainAcc: trainAcc - 0.1, valAcc: valAcc - 0.1 },
        { epoch: 2, trainAcc, valAcc },
      ],
    },
    ...extra,
  };
}

describe('aggregate', () => {
  const runs = [run(0, 0, 0.7, 0.95), run(1, 0, 0.8, 0.9), run(0, 1, 0.72, 0.97), run(1, 1, 0.8, 0.88), run(0, 2, 0.74, 0.96), run(1, 2, 0.83, 0.9)];

  it('gives per-arm means, intervals and the train–val gap', () => {
    const a = aggregate(config(), runs);
    expect(a.metric).toBe('valAcc');
    const raw = a.arms.find((x) => x.name === 'raw')!;
    expect(raw.runs).toBe(3);
    expect(raw.valAcc.mean).toBeCloseTo(0.72, 12);
    // sd 0.02, t(0.975, 2) = 4.3026527 → half 0.0496827.
    expect(raw.valAcc.ci![0]).toBeCloseTo(0.72 - 4.30265272974946 * (0.02 / Math.sqrt(3)), 10);
    expect(raw.gap.mean).toBeCloseTo((0.25 + 0.25 + 0.22) / 3, 12);
    expect(raw.macroAuc.mean).toBeCloseTo(0.82, 12);
    expect(raw.testAcc).toBeNull();
  });

  it('pairs each repeat with the baseline of the same repeat', () => {
    const a = aggregate(config(), runs);
    expect(a.vsBaseline).toHaveLength(1);
    const v = a.vsBaseline[0]!;
    // diffs 0.10, 0.08, 0.09 → mean 0.09, sd 0.01, half = 4.3026527 · 0.01/√3 = 0.0248414.
    expect(v.diff).toBeCloseTo(0.09, 12);
    expect(v.ci![0]).toBeCloseTo(0.09 - 0.024841377, 8);
    expect([v.wins, v.repeats]).toEqual([3, 3]);
    expect(v.kind).toBe('better');
    expect(a.verdict).toBe(
      'augmented beats raw by 9.0 points of validation accuracy, 95% CI 6.5–11.5, 3 of 3 repeats. Mean train–validation gap: raw 24.0, augmented 8.3 points.',
    );
  });

  it('averages curves per epoch with a band', () => {
    const c = aggregate(config(), runs).curves.find((x) => x.arm === 'raw')!;
    expect(c.points.map((p) => p.epoch)).toEqual([1, 2]);
    expect(c.points[1]!.val).toBeCloseTo(0.72, 12);
    expect(c.points[0]!.val).toBeCloseTo(0.62, 12);
    expect(c.points[1]!.valLo).toBeLessThan(0.72);
    expect(c.points[1]!.n).toBe(3);
  });

  it('judges on test accuracy when every run has a test split', () => {
    const withTest = runs.map((r) => ({ ...r, outcome: { ...r.outcome!, testAcc: r.outcome!.valAcc! - 0.05 } }));
    const a = aggregate(config(), withTest);
    expect(a.metric).toBe('testAcc');
    expect(a.vsBaseline[0]!.text).toMatch(/points of test accuracy/);
    expect(a.arms[0]!.testAcc!.mean).toBeCloseTo(0.67, 12);
  });

  it('leaves out failed runs and unpaired repeats, and says so', () => {
    const partial = [...runs.slice(0, 5), run(1, 2, 0, 0, { status: 'failed', outcome: null })];
    const a = aggregate(config(), partial);
    expect(a.vsBaseline[0]!.repeats).toBe(2);
    expect(a.verdict).toMatch(/^1 run failed and is left out\. /);
  });

  it('reports each training fraction separately', () => {
    const fr = [...runs.map((r) => ({ ...r, fraction: 0.5 })), ...runs];
    const a = aggregate(config([0.5, 1]), fr);
    expect(a.arms.map((x) => `${x.name}@${x.fraction}`)).toEqual(['raw@0.5', 'augmented@0.5', 'raw@1', 'augmented@1']);
    expect(a.vsBaseline.map((v) => v.fraction)).toEqual([0.5, 1]);
    expect(a.verdict).toMatch(/^With 50% of the training images: augmented beats raw/);
  });

  it('cuts accuracy intervals at 100% and keeps gaps signed', () => {
    const a = aggregate(config(), [run(0, 0, 0.9, 1), run(0, 1, 0.8, 0.9), run(1, 0, 0.95, 0.9), run(1, 1, 0.9, 0.85)]);
    expect(a.arms[0]!.trainAcc.ci![1]).toBe(1);
    expect(a.arms[0]!.trainAcc.ci![0]).toBeCloseTo(0.95 - 12.7062047361747 * 0.05, 9);
    expect(a.arms[1]!.gap.mean).toBeCloseTo(-0.05, 12);
    expect(a.curves[0]!.points[1]!.trainHi).toBe(1);
  });

  it('has no verdict before any run finishes', () => {
    const pending = runs.map((r) => ({ ...r, status: 'pending' as const, outcome: null }));
    expect(aggregate(config(), pending).verdict).toBeNull();
  });
});
