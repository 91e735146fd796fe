import { describe, expect, it } from 'vitest';
import { pairedDiff } from '../../../src/core/compare/stats.js';
import { armVerdict, gapSentence } from '../../../src/core/compare/verdict.js';

const byRepeat = (xs: number[]) => new Map(xs.map((x, i) => [i, x]));

describe('armVerdict', () => {
  it('claims a win only when the whole interval is above zero', () => {
    // diffs 0.061 0.083 0.072 0.095 0.049: mean 7.2 points, 95% CI 4.96–9.44 (t with 4 df).
    const base = [0.7, 0.7, 0.7, 0.7, 0.7];
    const arm = [0.761, 0.783, 0.772, 0.795, 0.749];
    const v = armVerdict('augmented', 'raw', pairedDiff(byRepeat(arm), byRepeat(base)));
    expect(v.kind).toBe('better');
    expect(v.text).toBe('augmented beats raw by 7.2 points, 95% CI 5.0–9.4, 5 of 5 repeats.');
  });

  it('says "no clear difference" when the interval spans zero, however large the mean', () => {
    const d = pairedDiff(byRepeat([0.8, 0.78, 0.81]), byRepeat([0.75, 0.76, 0.74]));
    const v = armVerdict('augmented', 'raw', d, 'validation accuracy');
    expect(v.kind).toBe('unclear');
    expect(v.text).toBe(
      'No clear difference between augmented and raw in validation accuracy: +4.7 points, 95% CI -1.6 to 10.9 spans zero, won 3 of 3 repeats.',
    );
  });

  it('reports a worse arm with a positive-reading interval', () => {
    const d = pairedDiff(byRepeat([0.65, 0.66, 0.64, 0.67]), byRepeat([0.7, 0.7, 0.7, 0.7]));
    const v = armVerdict('+ regularization', 'raw', d);
    expect(v.kind).toBe('worse');
    // diffs −5 −4 −6 −3: mean −4.5, sd 1.29, t(3) = 3.182 → half 2.05 points.
    expect(v.text).toBe('+ regularization is worse than raw by 4.5 points, 95% CI 2.4–6.6, won 0 of 4 repeats.');
  });

  it('says plainly when every repeat tied, and counts ties', () => {
    const same = armVerdict('a', 'b', pairedDiff(byRepeat([0.5, 0.6]), byRepeat([0.5, 0.6])), 'test accuracy');
    expect(same).toEqual({ kind: 'unclear', text: 'No difference between a and b in test accuracy: the same in all 2 repeats.' });
    const some = armVerdict('a', 'b', pairedDiff(byRepeat([0.5, 0.7, 0.62]), byRepeat([0.5, 0.6, 0.6])));
    expect(some.text).toMatch(/won 2 of 3 repeats \(1 tied\)\.$/);
  });

  it('refuses to conclude from one repeat or none', () => {
    expect(armVerdict('a', 'b', pairedDiff(byRepeat([0.9]), byRepeat([0.5]))).kind).toBe('too_few');
    expect(armVerdict('a', 'b', pairedDiff(byRepeat([0.9]), byRepeat([0.5]))).text).toMatch(/single repeat/);
    expect(armVerdict('a', 'b', pairedDiff(new Map(), byRepeat([0.5]))).text).toMatch(/no finished pair/);
  });
});

describe('gapSentence', () => {
  it('lists mean gaps and skips arms without one', () => {
    expect(gapSentence([{ arm: 'raw', gap: 0.201 }, { arm: 'augmented', gap: 0.123 }, { arm: 'x', gap: Number.NaN }])).toBe(
      'Mean train–validation gap: raw 20.1, augmented 12.3 points.',
    );
  });
});
