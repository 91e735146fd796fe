import { describe, expect, it } from 'vitest';
import { incompleteBeta, meanCi, pairedDiff, sampleSd, tCdf, tQuantile } from '../../../src/core/compare/stats.js';

/** Reference quantiles computed with mpmath at 30 digits (root of the regularized incomplete beta). */
const quantiles: [p: number, df: number, t: number][] = [
  [0.975, 1, 12.7062047361747],
  [0.975, 2, 4.30265272974946],
  [0.975, 3, 3.18244630528371],
  [0.975, 4, 2.77644510519779],
  [0.975, 5, 2.57058183563632],
  [0.975, 7, 2.36462425159279],
  [0.975, 10, 2.22813885198627],
  [0.975, 29, 2.0452296421327],
  [0.975, 100, 1.98397151852355],
  [0.975, 1000, 1.96233908082641],
  [0.95, 4, 2.13184678632665],
  [0.995, 3, 5.84090930973336],
  [0.9995, 1, 636.61924876872],
  [0.975, 2.5, 3.57465484200368],
  [0.6, 5, 0.267180865704145],
];

describe('Student t', () => {
  it.each(quantiles)('quantile p=%s df=%s matches the reference to 1e-9 relative', (p, df, t) => {
    expect(Math.abs(tQuantile(p, df) - t) / t).toBeLessThan(1e-9);
  });

  it('is symmetric and zero at the median', () => {
    expect(tQuantile(0.5, 4)).toBe(0);
    expect(tQuantile(0.025, 4)).toBeCloseTo(-2.77644510519779, 10);
    expect(tCdf(0, 7)).toBeCloseTo(0.5, 14);
    expect(tCdf(-2.36462425159279, 7)).toBeCloseTo(0.025, 10);
  });

  it('regularized incomplete beta hits closed forms', () => {
    // I_x(1, 1) = x; I_x(2, 1) = x²; I_x(1, b) = 1 − (1 − x)^b.
    expect(incompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 14);
    expect(incompleteBeta(0.3, 2, 1)).toBeCloseTo(0.09, 14);
    expect(incompleteBeta(0.2, 1, 3)).toBeCloseTo(1 - 0.8 ** 3, 14);
  });

  it('rejects impossible arguments', () => {
    expect(() => tQuantile(1, 3)).toThrow(/p must be/);
    expect(() => tQuantile(0.9, 0)).toThrow(/df must be/);
  });
});

describe('meanCi', () => {
  it('gives the t-based 95% interval computed by hand', () => {
    // mean 0.72, sd 0.0212132, t(0.975, 4) = 2.7764451 → half width 0.0263397.
    const r = meanCi([0.7, 0.72, 0.75, 0.73, 0.7]);
    expect(r.n).toBe(5);
    expect(r.mean).toBeCloseTo(0.72, 12);
    expect(r.sd).toBeCloseTo(0.021213203435596444, 12);
    expect(r.ci![0]).toBeCloseTo(0.6936603290074475, 10);
    expect(r.ci![1]).toBeCloseTo(0.7463396709925525, 10);
  });

  it('has no interval for a single value and ignores NaN', () => {
    expect(meanCi([0.8])).toEqual({ mean: 0.8, ci: null, sd: null, n: 1 });
    expect(meanCi([0.7, Number.NaN, 0.72, 0.75, 0.73, 0.7]).n).toBe(5);
    expect(sampleSd([1])).toBeNaN();
  });

  it('collapses to the mean when every value is equal', () => {
    expect(meanCi([0.5, 0.5, 0.5]).ci).toEqual([0.5, 0.5]);
  });
});

describe('pairedDiff', () => {
  it('pairs by repeat, counts wins and gives the interval of the differences', () => {
    const arm = new Map([[0, 0.8], [1, 0.78], [2, 0.81]]);
    const base = new Map([[0, 0.75], [1, 0.76], [2, 0.74]]);
    const d = pairedDiff(arm, base);
    expect(d.diffs.map((x) => Math.round(x * 1e9) / 1e9)).toEqual([0.05, 0.02, 0.07]);
    expect(d.mean).toBeCloseTo(0.04666666666666667, 12);
    expect(d.ci![0]).toBeCloseTo(-0.015849428127091066, 10);
    expect(d.ci![1]).toBeCloseTo(0.10918276146042441, 10);
    expect([d.wins, d.ties, d.losses]).toEqual([3, 0, 0]);
  });

  it('leaves out a repeat that is missing on either side', () => {
    const arm = new Map([[0, 0.8], [1, 0.7], [3, 0.9]]);
    const base = new Map([[0, 0.8], [1, 0.75], [2, 0.6]]);
    const d = pairedDiff(arm, base);
    expect(d.n).toBe(2);
    expect([d.wins, d.ties, d.losses]).toEqual([0, 1, 1]);
  });
});
