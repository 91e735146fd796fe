import type { ArmCurve } from '../../../../shared/api/compare.js';
import type { CurveSeries } from '../charts/curve-series.js';
import { bandNote, MIN_BAND_RUNS } from './format-stats.js';

/**
 * The mean learning curves of one training fraction, with a 95% band only at the epochs at least
 * MIN_BAND_RUNS runs reached (two runs give an interval wider than the whole scale), and the note
 * that says so under the chart.
 */
export function meanCurves(curves: readonly ArmCurve[], fraction: number, repeats: number, colorOf: (arm: string) => number): { series: CurveSeries[]; note: string } {
  const shown = curves.filter((c) => c.fraction === fraction && c.points.length);
  const banded = (n: number) => n >= MIN_BAND_RUNS;
  const anyBand = shown.some((c) => c.points.some((p) => banded(p.n)));
  const everywhere = shown.every((c) => c.points.every((p) => banded(p.n)));
  const series = shown.map((c): CurveSeries => ({
    name: c.arm,
    color: colorOf(c.arm),
    train: c.points.map((p) => p.train),
    val: c.points.map((p) => p.val),
    ...(anyBand ? { valLo: c.points.map((p) => (banded(p.n) ? p.valLo : null)), valHi: c.points.map((p) => (banded(p.n) ? p.valHi : null)) } : {}),
  }));
  return { series, note: bandNote(repeats, anyBand, everywhere) };
}
