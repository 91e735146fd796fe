import { describe, expect, it } from 'vitest';
import { planRuns, repeatSeed } from '../../../src/core/compare/pairing.js';

const arm = (name: string) => ({ name, pipeline: null, l1: 0, l2: 0, dropout: 0, batchNorm: false, earlyStopping: null });

describe('planRuns', () => {
  it('gives every arm of a repeat the same seed and each repeat its own', () => {
    const plan = planRuns([arm('raw'), arm('aug'), arm('reg')], 4, [0.5, 1], 7);
    expect(plan).toHaveLength(3 * 4 * 2);
    for (let r = 0; r < 4; r++) {
      const seeds = new Set(plan.filter((p) => p.repeat === r).map((p) => p.seed));
      expect(seeds.size).toBe(1);
    }
    expect(new Set(plan.map((p) => p.seed)).size).toBe(4);
    // Repeat-major: a repeat is complete before the next starts.
    expect(plan.slice(0, 6).every((p) => p.repeat === 0)).toBe(true);
  });

  it('seeds depend on the base seed and stay non-negative 31-bit integers', () => {
    expect(repeatSeed(0, 0)).not.toBe(repeatSeed(1, 0));
    expect(repeatSeed(3, 2)).toBe(repeatSeed(3, 2));
    for (let i = 0; i < 50; i++) {
      const s = repeatSeed(i * 7919, i);
      expect(Number.isInteger(s) && s >= 0 && s < 2 ** 31).toBe(true);
    }
  });
});
