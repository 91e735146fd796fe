/** A small seeded PRNG (mulberry32) with the draws augmentation needs. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform 32-bit unsigned integer. */
  uint32(): number;
  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number;
  /** Uniform integer in [lo, hi], both ends included. */
  int(lo: number, hi: number): number;
  /** True with probability p (p ≤ 0 never, p ≥ 1 always). */
  chance(p: number): boolean;
  /** An independent generator seeded from this one (consumes one draw). */
  fork(): Rng;
}

/** 32-bit finaliser from MurmurHash3: spreads every input bit over the output. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hashString(s: string, h: number): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return fmix32(h ^ s.length);
}

function mixPart(h: number, part: number | string): number {
  if (typeof part === 'string') return fmix32(h ^ hashString(part, 0x811c9dc5));
  if (!Number.isSafeInteger(part)) throw new RangeError(`seed parts must be safe integers, got ${part}`);
  const lo = part >>> 0;
  const hi = Math.floor(part / 0x100000000) >>> 0;
  return fmix32(Math.imul(fmix32(h ^ lo), 0x9e3779b1) ^ hi);
}

/**
 * The seed of one augmented sample: pipeline seed × image id × copy index. Equal inputs give
 * equal seeds on every machine; neighbouring ids give unrelated streams.
 */
export function sampleSeed(pipelineSeed: number, imageKey: number | string, copy: number): number {
  return mixPart(mixPart(mixPart(0x5eed5eed, pipelineSeed), imageKey), copy);
}

export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const uint32 = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const next = (): number => uint32() / 4294967296;
  return {
    next,
    uint32,
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p) => (p >= 1 ? (next(), true) : p <= 0 ? (next(), false) : next() < p),
    fork: () => createRng(fmix32(uint32() ^ 0x9e3779b9)),
  };
}

/** The RNG of one augmented sample. */
export function sampleRng(pipelineSeed: number, imageKey: number | string, copy: number): Rng {
  return createRng(sampleSeed(pipelineSeed, imageKey, copy));
}
