import { describe, expect, it } from 'vitest';
import { planRuns, repeatSeed, stratifiedSubset } from '../../../src/core/compare/pairing.js';

const arm = (name: string) => ({ name, pipeline: null, l1: 0, l2: 0, dropout: 0, batchnorm: false, earlyStopping: null });

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

describe('stratifiedSubset', () => {
  // Class 1: 40 images, class 2: 20 images, class 3: 3 images.
  const images = [
    ...Array.from({ length: 40 }, (_, i) => ({ id: 100 + i, classId: 1 })),
    ...Array.from({ length: 20 }, (_, i) => ({ id: 200 + i, classId: 2 })),
    ...Array.from({ length: 3 }, (_, i) => ({ id: 300 + i, classId: 3 })),
  ];
  const countByClass = (ids: number[]) => [1, 2, 3].map((c) => ids.filter((id) => Math.floor(id / 100) === c).length);

  it('takes the fraction of each class, at least one image per class', () => {
    expect(countByClass(stratifiedSubset(images, 0.25, 1))).toEqual([10, 5, 1]);
    expect(countByClass(stratifiedSubset(images, 0.5, 1))).toEqual([20, 10, 2]);
    expect(stratifiedSubset(images, 1, 1)).toHaveLength(63);
  });

  it('nests smaller fractions inside larger ones for the same seed', () => {
    const small = stratifiedSubset(images, 0.1, 9);
    const mid = stratifiedSubset(images, 0.5, 9);
    expect(small.every((id) => mid.includes(id))).toBe(true);
  });

  it('is the same for the same seed whatever the input order, and differs between seeds', () => {
    const a = stratifiedSubset(images, 0.25, 5);
    expect(stratifiedSubset([...images].reverse(), 0.25, 5)).toEqual(a);
    expect(stratifiedSubset(images, 0.25, 6)).not.toEqual(a);
  });
});
