import { deriveSeed } from '../seeded-random.js';

interface Labelled {
  id: number;
  classId: number;
}

/**
 * Images of each class in a seeded order that does not depend on which other images exist:
 * each image's rank is a hash of the seed and its id. Adding images leaves the others' order
 * alone, so splits stay stable and smaller subsets stay inside larger ones.
 */
function rankedByClass<T extends Labelled>(items: readonly T[], seed: number, role: string): Map<number, T[]> {
  const byClass = new Map<number, T[]>();
  for (const item of items) {
    const list = byClass.get(item.classId);
    if (list) list.push(item);
    else byClass.set(item.classId, [item]);
  }
  for (const list of byClass.values()) {
    const rank = new Map(list.map((i) => [i.id, deriveSeed(seed, role, i.id)]));
    list.sort((a, b) => rank.get(a.id)! - rank.get(b.id)! || a.id - b.id);
  }
  return byClass;
}

/**
 * A stratified hold-out: round(share · n) images of each class (at least one while the class
 * keeps one for training) go to the second list.
 */
export function stratifiedHoldOut<T extends Labelled>(items: readonly T[], share: number, seed: number): { keep: T[]; held: T[] } {
  const keep: T[] = [];
  const held: T[] = [];
  for (const list of rankedByClass(items, seed, 'split').values()) {
    const n = list.length;
    const take = n < 2 ? 0 : Math.min(n - 1, Math.max(1, Math.round(share * n)));
    held.push(...list.slice(0, take));
    keep.push(...list.slice(take));
  }
  return { keep: keep.sort((a, b) => a.id - b.id), held: held.sort((a, b) => a.id - b.id) };
}

/** ⌈fraction · n⌉ images of each class (at least one); smaller fractions of one seed are prefixes of larger ones. */
export function stratifiedFraction<T extends Labelled>(items: readonly T[], fraction: number, seed: number): T[] {
  if (fraction >= 1) return [...items].sort((a, b) => a.id - b.id);
  const out: T[] = [];
  for (const list of rankedByClass(items, seed, 'subset').values()) {
    out.push(...list.slice(0, Math.max(1, Math.ceil(fraction * list.length - 1e-9))));
  }
  return out.sort((a, b) => a.id - b.id);
}
