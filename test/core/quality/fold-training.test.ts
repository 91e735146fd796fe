import { describe, expect, it } from 'vitest';
import { DEFAULT_CROSS_VALIDATION, foldTrainConfig } from '../../../src/core/quality/cross-validation.js';
import { innerSplit } from '../../../src/core/quality/fold-training.js';

describe('fold training settings', () => {
  it('holds out a stratified eighth of each class for early stopping, never a class too small to spare one', () => {
    const train = [
      ...Array.from({ length: 40 }, (_, i) => ({ id: i + 1, path: `a${i}`, key: `a${i}`, label: 0 })),
      ...Array.from({ length: 16 }, (_, i) => ({ id: i + 101, path: `b${i}`, key: `b${i}`, label: 1 })),
      ...Array.from({ length: 3 }, (_, i) => ({ id: i + 201, path: `c${i}`, key: `c${i}`, label: 2 })),
    ];
    const { fit, stop } = innerSplit(train, 5);
    expect(fit.length + stop.length).toBe(train.length);
    expect(new Set([...fit, ...stop].map((s) => s.id)).size).toBe(train.length);
    expect(stop.filter((s) => s.label === 0)).toHaveLength(5);
    expect(stop.filter((s) => s.label === 1)).toHaveLength(2);
    expect(stop.filter((s) => s.label === 2)).toHaveLength(0);
    // Seeded: the same seed picks the same images, another seed others.
    expect(innerSplit(train, 5).stop.map((s) => s.id)).toEqual(stop.map((s) => s.id));
    expect(innerSplit(train, 6).stop.map((s) => s.id)).not.toEqual(stop.map((s) => s.id));
  });

  it('sizes the fold model to the image and the batch to the data', () => {
    const at = (size: number, images: number) => foldTrainConfig({ ...DEFAULT_CROSS_VALIDATION, size }, images);
    expect(at(32, 800)).toMatchObject({ filters: [16, 32, 64], batchNorm: true, batchSize: 32, epochs: 20 });
    expect(at(16, 800).filters).toEqual([16, 32]);
    expect(at(8, 800).filters).toEqual([16]);
    expect(at(32, 30).batchSize).toBe(8);
    expect(at(32, 200).batchSize).toBe(16);
    expect(foldTrainConfig({ ...DEFAULT_CROSS_VALIDATION, model: 'mlp' }, 100).batchNorm).toBe(false);
  });
});
