import { z } from 'zod';
import { compositeOp, type ConcreteOp, type Size } from '../op.js';
import { fillParams, int } from '../params.js';
import { MAGNITUDE_BINS, RANDAUGMENT_SPACE, TRIVIALAUGMENT_SPACE, applyEntry } from './policy-space.js';

export const randaugment = compositeOp({
  id: 'randaugment',
  label: 'RandAugment',
  category: 'policy',
  description: 'N ops drawn uniformly (with repeats) from 14, all at magnitude M of 30 (torchvision RandAugment).',
  defaultP: 1,
  hasChildren: false,
  params: z.strictObject({
    n: int(1, 10, 2, 'Ops per image (N)'),
    m: int(0, MAGNITUDE_BINS - 1, 9, 'Magnitude (M, 0–30)'),
    ...fillParams,
  }),
  expand: (rng, p, size, env) => {
    const ops: ConcreteOp[] = [];
    let current: Size = size;
    const fill = { fill: p.fill, fill_colour: p.fill_colour };
    for (let i = 0; i < p.n; i++) {
      const entry = RANDAUGMENT_SPACE[Math.floor(rng.next() * RANDAUGMENT_SPACE.length)]!;
      const r = applyEntry(entry, p.m, rng, current, fill, env);
      ops.push(...r.ops);
      current = r.size;
    }
    return { ops, size: current };
  },
});

export const trivialaugment = compositeOp({
  id: 'trivialaugment',
  label: 'TrivialAugment',
  category: 'policy',
  description: 'One op drawn uniformly from 14 at a random magnitude (torchvision TrivialAugmentWide).',
  defaultP: 1,
  hasChildren: false,
  params: z.strictObject({ ...fillParams }),
  expand: (rng, p, size, env) => {
    const entry = TRIVIALAUGMENT_SPACE[Math.floor(rng.next() * TRIVIALAUGMENT_SPACE.length)]!;
    return applyEntry(entry, null, rng, size, { fill: p.fill, fill_colour: p.fill_colour }, env);
  },
});
