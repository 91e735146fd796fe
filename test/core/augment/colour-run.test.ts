import { describe, expect, it } from 'vitest';
import { applyOps } from '../../../src/core/augment/apply.js';
import type { ConcreteOp } from '../../../src/core/augment/op.js';
import { colourRunLength } from '../../../src/core/augment/pixels/colour-run.js';
import { photoLike } from './helpers.js';

const op = (name: string, value: number): ConcreteOp => ({ op: name, params: name === 'hue' ? { shift: value } : { factor: value }, path: '0' });
const names = (...ids: string[]) => ids.map((id) => op(id, id === 'hue' ? 0.1 : 1.1));

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

describe('colour runs (brightness, contrast, saturation, hue in one pass)', () => {
  it('takes tables first, then at most one saturation, then at most one hue', () => {
    expect(colourRunLength(names('brightness', 'contrast', 'saturation', 'hue'), 0)).toBe(4);
    expect(colourRunLength(names('contrast', 'brightness', 'contrast', 'hue'), 0)).toBe(4);
    expect(colourRunLength(names('hflip', 'brightness', 'saturation', 'gaussian_blur'), 1)).toBe(2);
    expect(colourRunLength(names('hue', 'saturation'), 0)).toBe(0);
    expect(colourRunLength(names('saturation', 'brightness', 'contrast'), 0)).toBe(0);
    expect(colourRunLength(names('saturation', 'saturation', 'hue'), 0)).toBe(0);
    expect(colourRunLength(names('brightness', 'hue', 'contrast'), 0)).toBe(2);
    expect(colourRunLength(names('brightness'), 0)).toBe(0);
  });

  it('gives the same bytes as the ops one by one, for random orders and parameters', async () => {
    const random = rng(11);
    const ids = ['brightness', 'contrast', 'saturation', 'hue'];
    let fusedRuns = 0;
    for (let trial = 0; trial < 60; trial++) {
      // Grain and clipping-prone factors: saturated, flat and wrapped-hue pixels all occur.
      const img = photoLike(24 + (trial % 5), 17 + (trial % 3), trial + 1, 40);
      const ops: ConcreteOp[] = [];
      const count = 2 + Math.floor(random() * 4);
      for (let k = 0; k < count; k++) {
        const id = ids[Math.floor(random() * ids.length)]!;
        const value = id === 'hue' ? random() - 0.5 : trial % 7 === 0 ? random() * 10 : random() * 2;
        ops.push(op(id, value));
      }
      if (colourRunLength(ops, 0) > 0) fusedRuns++;
      const fused = await applyOps(img, ops);
      const oneByOne = await applyOps(img, ops, { fuse: false });
      expect(Buffer.from(fused.data).equals(Buffer.from(oneByOne.data)), ops.map((o) => `${o.op} ${JSON.stringify(o.params)}`).join(', ')).toBe(true);
    }
    expect(fusedRuns).toBeGreaterThan(20);
  });
});
