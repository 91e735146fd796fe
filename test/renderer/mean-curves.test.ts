import { describe, expect, it } from 'vitest';
import type { ArmCurve } from '../../src/shared/api/compare.js';
import { meanCurves } from '../../src/renderer/src/components/results/mean-curves.js';

/** Epochs with the number of runs that reached each; the 95% interval is as wide as aggregate() makes it for that many. */
function curve(arm: string, fraction: number, runsPerEpoch: number[]): ArmCurve {
  return {
    arm,
    fraction,
    points: runsPerEpoch.map((n, i) => {
      const val = 0.4 + 0.1 * i;
      const half = n >= 3 ? 0.08 : n === 2 ? 0.6 : 0;
      return { epoch: i + 1, n, train: val + 0.05, trainLo: val, trainHi: val + 0.1, val, valLo: Math.max(0, val - half), valHi: Math.min(1, val + half) };
    }),
  };
}
const colorOf = (arm: string) => ['raw', 'augmented'].indexOf(arm);

describe('mean learning curves in Results', () => {
  it('draws no band from two repeats (their interval spans the whole scale) and says why', () => {
    const { series, note } = meanCurves([curve('raw', 1, [2, 2, 2]), curve('augmented', 1, [2, 2, 2])], 1, 2, colorOf);
    expect(series.map((s) => s.name)).toEqual(['raw', 'augmented']);
    expect(series.every((s) => s.valLo === undefined && s.valHi === undefined)).toBe(true);
    expect(series[0]!.val).toEqual([0.4, 0.5, 0.6].map((v) => expect.closeTo(v, 9)));
    expect(note).toBe('mean of 2 repeats · a 95% band needs 3+');
  });

  it('bands three or more repeats, and stops the band where early stopping left fewer runs', () => {
    const all = meanCurves([curve('raw', 1, [3, 3, 3])], 1, 3, colorOf);
    expect(all.series[0]!.valLo).toEqual([0.32, 0.42, 0.52].map((v) => expect.closeTo(v, 9)));
    expect(all.note).toBe('band: 95% interval over repeats');

    const stopped = meanCurves([curve('raw', 1, [3, 3, 2, 1]), curve('augmented', 1, [3, 3, 3, 3])], 1, 3, colorOf);
    expect(stopped.series[0]!.valHi!.map((v) => v !== null)).toEqual([true, true, false, false]);
    expect(stopped.series[1]!.valHi!.every((v) => v !== null)).toBe(true);
    expect(stopped.note).toBe('band: 95% interval where 3+ runs');
  });

  it('shows only the training fraction asked for, and one run per arm needs no band', () => {
    const { series, note } = meanCurves([curve('raw', 0.5, [1, 1]), curve('raw', 1, [1, 1, 1]), curve('augmented', 1, [])], 0.5, 1, colorOf);
    expect(series).toHaveLength(1);
    expect(series[0]!.val).toHaveLength(2);
    expect(series[0]!.valLo).toBeUndefined();
    expect(note).toBe('one run per arm');
  });
});
