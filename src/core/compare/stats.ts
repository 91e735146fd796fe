/**
 * Small-sample statistics for comparisons: Student-t confidence intervals of a mean and of paired
 * differences. Repeats are few (3–10), so the normal 1.96 would make intervals too narrow.
 */

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; ~15 significant digits). */
function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 1000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}

/** Regularized incomplete beta I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  // The continued fraction converges fast only on one side of the mean; use symmetry on the other.
  return x < (a + 1) / (a + b + 2)
    ? (front * betaContinuedFraction(x, a, b)) / a
    : 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

/** P(T ≤ t) for Student's t with `df` degrees of freedom. */
export function tCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

/** The p-quantile of Student's t with `df` degrees of freedom (df > 0, 0 < p < 1). */
export function tQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`tQuantile: p must be in (0, 1), got ${p}`);
  if (!(df > 0)) throw new RangeError(`tQuantile: df must be positive, got ${df}`);
  if (p === 0.5) return 0;
  if (p < 0.5) return -tQuantile(1 - p, df);
  let hi = 2;
  while (tCdf(hi, df) < p) hi *= 2;
  let lo = 0;
  // Bisection on a monotone CDF: 200 halvings reach double precision for any bracket we build.
  for (let i = 0; i < 200 && hi - lo > 1e-13 * Math.max(1, hi); i++) {
    const mid = (lo + hi) / 2;
    if (tCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export function mean(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Sample standard deviation (n − 1 in the denominator); NaN below two values. */
export function sampleSd(xs: readonly number[]): number {
  if (xs.length < 2) return Number.NaN;
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) ** 2;
  return Math.sqrt(s / (xs.length - 1));
}

export interface MeanCi {
  mean: number;
  /** Null below two values: one number says nothing about its spread. */
  ci: [number, number] | null;
  sd: number | null;
  n: number;
}

/** Mean with a two-sided t-based confidence interval (default 95%). NaN values are ignored. */
export function meanCi(values: readonly number[], level = 0.95): MeanCi {
  const xs = values.filter((v) => Number.isFinite(v));
  const n = xs.length;
  const m = mean(xs);
  if (n < 2) return { mean: m, ci: null, sd: null, n };
  const sd = sampleSd(xs);
  const half = tQuantile(1 - (1 - level) / 2, n - 1) * (sd / Math.sqrt(n));
  return { mean: m, ci: [m - half, m + half], sd, n };
}

export interface PairedDiff extends MeanCi {
  /** Pairs where the arm scored higher than the baseline. */
  wins: number;
  ties: number;
  losses: number;
  /** Per-pair differences (arm − baseline), in pairing order. */
  diffs: number[];
}

/**
 * Paired difference arm − baseline. Pairs are matched by key (the repeat); a pair missing either
 * side (a failed run) is left out rather than compared against nothing.
 */
export function pairedDiff(arm: ReadonlyMap<number, number>, baseline: ReadonlyMap<number, number>, level = 0.95): PairedDiff {
  const keys = [...arm.keys()].filter((k) => baseline.has(k)).sort((a, b) => a - b);
  const diffs: number[] = [];
  for (const k of keys) {
    const a = arm.get(k)!;
    const b = baseline.get(k)!;
    if (Number.isFinite(a) && Number.isFinite(b)) diffs.push(a - b);
  }
  // Differences of accuracies are multiples of 1/n; round away float noise so a tie counts as a tie.
  const eps = 1e-12;
  return {
    ...meanCi(diffs, level),
    wins: diffs.filter((d) => d > eps).length,
    ties: diffs.filter((d) => Math.abs(d) <= eps).length,
    losses: diffs.filter((d) => d < -eps).length,
    diffs,
  };
}
