import { describe, expect, it } from 'vitest';
import { BkTree } from '../../../src/core/quality/bk-tree.js';
import { HashIndex } from '../../../src/core/quality/hash-index.js';
import { hammingWords, type HashWords } from '../../../src/core/quality/perceptual-hash.js';

function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Random hashes plus near copies of some (a few bits flipped), so every radius has neighbours. */
function hashes(n: number, seed: number): HashWords[] {
  const next = random(seed);
  const out: HashWords[] = [];
  for (let i = 0; i < n; i++) {
    if (i > 0 && next() % 3 === 0) {
      const base = out[next() % out.length]!;
      let [hi, lo] = base;
      for (let f = next() % 14; f > 0; f--) {
        const bit = next() % 64;
        if (bit < 32) hi = (hi ^ (1 << bit)) >>> 0;
        else lo = (lo ^ (1 << (bit - 32))) >>> 0;
      }
      out.push([hi, lo]);
    } else out.push([next(), next()]);
  }
  return out;
}

const sorted = (xs: { id: number; distance: number }[]) => [...xs].sort((a, b) => a.id - b.id);

describe('HashIndex', () => {
  it('finds exactly the hashes a brute-force scan (and the BK-tree) finds, at every radius from 0 to 24', () => {
    const all = hashes(600, 7);
    const index = new HashIndex();
    const tree = new BkTree();
    all.forEach((h, id) => {
      index.add(h, id);
      tree.add(h, id);
    });
    for (const radius of [0, 1, 3, 4, 7, 8, 10, 11, 12, 16, 24]) {
      for (const q of all.slice(0, 60)) {
        const brute = all.flatMap((h, id) => (hammingWords(q, h) <= radius ? [{ id, distance: hammingWords(q, h) }] : []));
        expect(sorted(index.within(q, radius)), `radius ${radius}`).toEqual(brute);
        expect(sorted(tree.within(q, radius))).toEqual(brute);
      }
    }
  });

  it('stays near-linear: 40,000 hashes within 10 bits cost a few CPU seconds (a BK-tree needs minutes: it prunes almost nothing at 64 bits)', () => {
    const all = hashes(40_000, 11);
    const index = new HashIndex();
    const cpu = process.cpuUsage();
    let found = 0;
    all.forEach((h, id) => {
      found += index.within(h, 10).length;
      index.add(h, id);
    });
    const used = process.cpuUsage(cpu);
    expect(found).toBeGreaterThan(1000); // the near copies
    expect((used.user + used.system) / 1e6).toBeLessThan(10);
  });
});
