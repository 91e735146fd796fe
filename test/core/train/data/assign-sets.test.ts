import { describe, expect, it } from 'vitest';
import { stratifiedFraction, stratifiedHoldOut } from '../../../../src/core/train/data/assign-sets.js';

const images = (classes: number, perClass: number, firstId = 1) =>
  Array.from({ length: classes * perClass }, (_, i) => ({ id: firstId + i, classId: 1 + (i % classes) }));

describe('stratifiedHoldOut', () => {
  it('holds out round(share · n) of every class and keeps the rest', () => {
    const { keep, held } = stratifiedHoldOut(images(3, 10), 0.2, 7);
    expect(held).toHaveLength(6);
    expect(keep).toHaveLength(24);
    for (const c of [1, 2, 3]) expect(held.filter((i) => i.classId === c)).toHaveLength(2);
    expect(new Set([...keep, ...held].map((i) => i.id)).size).toBe(30);
  });

  it('keeps a single-image class for training and always leaves one training image per class', () => {
    const { keep, held } = stratifiedHoldOut([{ id: 1, classId: 1 }, { id: 2, classId: 2 }, { id: 3, classId: 2 }], 0.9, 0);
    expect(held).toHaveLength(1);
    expect(held[0]!.classId).toBe(2);
    expect(keep.map((i) => i.id)).toContain(1);
    expect(keep.filter((i) => i.classId === 2)).toHaveLength(1);
  });

  it('is the same for the same seed, different for another, and mostly stable when images are added', () => {
    const base = images(2, 50);
    const a = stratifiedHoldOut(base, 0.2, 3).held.map((i) => i.id);
    expect(stratifiedHoldOut(base, 0.2, 3).held.map((i) => i.id)).toEqual(a);
    expect(stratifiedHoldOut(base, 0.2, 4).held.map((i) => i.id)).not.toEqual(a);
    const grown = stratifiedHoldOut([...base, ...images(2, 5, 1000)], 0.2, 3).held.map((i) => i.id);
    const kept = a.filter((id) => grown.includes(id)).length;
    // 22 held of 110 now; the rank of each old image is unchanged, so almost all of the 20 stay held.
    expect(kept).toBeGreaterThanOrEqual(17);
  });
});

describe('stratifiedFraction', () => {
  it('takes ⌈f · n⌉ per class and nests smaller fractions inside larger ones', () => {
    const all = images(2, 9);
    const quarter = stratifiedFraction(all, 0.25, 5);
    const half = stratifiedFraction(all, 0.5, 5);
    expect(quarter).toHaveLength(6); // ⌈2.25⌉ = 3 per class
    expect(half).toHaveLength(10); // ⌈4.5⌉ = 5 per class
    expect(quarter.every((q) => half.some((h) => h.id === q.id))).toBe(true);
    expect(stratifiedFraction(all, 1, 5)).toHaveLength(18);
    expect(stratifiedFraction(all, 0.01, 5)).toHaveLength(2);
  });
});
