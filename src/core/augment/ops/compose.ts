import { z } from 'zod';
import { compositeOp, type ConcreteOp, type Size } from '../op.js';
import { int } from '../params.js';

export const oneOf = compositeOp({
  id: 'one_of',
  label: 'One of',
  category: 'composition',
  description: 'Apply exactly one of the child ops, chosen with weights equal to their p.',
  defaultP: 1,
  hasChildren: true,
  params: z.strictObject({}),
  expand: (rng, _p, size, env) => {
    const total = env.children.reduce((s, c) => s + Math.max(0, c.p), 0);
    let u = rng.next() * total;
    if (total <= 0) return { ops: [], size };
    for (const child of env.children) {
      const w = Math.max(0, child.p);
      if (w <= 0) continue;
      if (u < w) return env.sampleChild(child, rng, size, true);
      u -= w;
    }
    const lastWeighted = [...env.children].reverse().find((c) => c.p > 0)!;
    return env.sampleChild(lastWeighted, rng, size, true);
  },
});

export const someOf = compositeOp({
  id: 'some_of',
  label: 'Some of',
  category: 'composition',
  description: 'Pick n different child ops at random; each then applies with its own p, in list order.',
  defaultP: 1,
  hasChildren: true,
  params: z.strictObject({ n: int(1, 50, 2, 'How many to pick') }),
  checkChildren: (p, children) =>
    p.n > children.length ? { field: 'n', message: `n is ${p.n} but there are only ${children.length} ops to pick from` } : null,
  expand: (rng, p, size, env) => {
    const idx = env.children.map((_c, i) => i);
    const n = Math.min(p.n, idx.length);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(rng.next() * (idx.length - i));
      [idx[i], idx[j]] = [idx[j]!, idx[i]!];
    }
    const picked = idx.slice(0, n).sort((a, b) => a - b);
    const ops: ConcreteOp[] = [];
    let current: Size = size;
    for (const i of picked) {
      const r = env.sampleChild(env.children[i]!, rng, current, false);
      ops.push(...r.ops);
      current = r.size;
    }
    return { ops, size: current };
  },
});
