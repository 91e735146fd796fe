import type { ArmSpec } from '../../shared/api/compare.js';

/**
 * The paired design: within a repeat every arm gets the same seed, which the training engine uses
 * for the split (when it has to hold out validation images), the training subset, the initial
 * weights and the batch order; so arm differences are about the data and the model options, not
 * about luck. Repeats differ in all of them.
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
