import type { ArmSpec } from '../../shared/api/compare.js';

/**
 * The paired design: within a repeat every arm gets the same seed (weight init, shuffling,
 * augmentation draws) and the same training subset, so arm differences are about the data and
 * the model options, not about luck. Repeats differ in all of them.
 */

/** 32-bit finaliser from MurmurHash3. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The seed of one repeat: spread from the comparison's base seed, a non-negative 31-bit integer. */
export function repeatSeed(baseSeed: number, repeat: number): number {
  return fmix32(fmix32(baseSeed >>> 0) ^ Math.imul(repeat + 1, 0x9e3779b1)) & 0x7fffffff;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface LabelledImage {
  id: number;
  classId: number;
}

/**
 * A stratified share of the training images: ⌈fraction · n⌉ of each class (at least one), drawn
 * by a seeded shuffle per class. Smaller fractions of the same seed are prefixes of larger ones,
 * so a learning curve adds data rather than swapping it. Returns image ids in ascending order.
 */
export function stratifiedSubset(images: readonly LabelledImage[], fraction: number, seed: number): number[] {
  if (fraction >= 1) return images.map((i) => i.id).sort((a, b) => a - b);
  const byClass = new Map<number, number[]>();
  for (const img of images) {
    const list = byClass.get(img.classId);
    if (list) list.push(img.id);
    else byClass.set(img.classId, [img.id]);
  }
  const chosen: number[] = [];
  for (const [classId, ids] of byClass) {
    ids.sort((a, b) => a - b);
    const rand = mulberry32(fmix32((seed >>> 0) ^ Math.imul(classId, 0x85ebca6b)));
    for (let i = ids.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    }
    const take = Math.max(1, Math.ceil(fraction * ids.length - 1e-9));
    chosen.push(...ids.slice(0, take));
  }
  return chosen.sort((a, b) => a - b);
}

export interface PlannedRun {
  armIndex: number;
  arm: string;
  repeat: number;
  fraction: number;
  seed: number;
}

/**
 * Every run of a comparison, repeat by repeat: after the first repeat finishes, every arm has a
 * paired result, so a comparison cut short still compares like with like.
 */
export function planRuns(arms: readonly ArmSpec[], repeats: number, fractions: readonly number[], baseSeed: number): PlannedRun[] {
  const plan: PlannedRun[] = [];
  for (let repeat = 0; repeat < repeats; repeat++) {
    const seed = repeatSeed(baseSeed, repeat);
    for (const fraction of fractions) {
      arms.forEach((a, armIndex) => plan.push({ armIndex, arm: a.name, repeat, fraction, seed }));
    }
  }
  return plan;
}
