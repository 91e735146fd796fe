import type { ArmCurve } from '../../../../shared/api/compare.js';
import { bandNote, MIN_BAND_RUNS } from './format-stats.js';

/** One arm's lines, as CurveChart draws them (its CurveSeries; a .svelte type stays out of the engine's typecheck). */
export interface MeanSeries {
  name: string;
  color: number;
  train: (number | null)[];
  val: (number | null)[];
  valLo?: (number | null)[];
  valHi?: (number | null)[];
}

/**
 * The mean learning curves of one training fraction, with a 95% band only at the epochs at least
 * MIN_BAND_RUNS runs reached (two runs give an interval wider than the whole scale), and the note
 * that says so under the chart.
 */
export function meanCurves(curves: readonly ArmCurve[], fraction: number, repeats: number, colorOf: (arm: string) => number): { series: MeanSeries[]; note: string } {
  const shown = curves.filter((c) => c.fraction === fraction && c.points.length);
  const banded = (n: number) => n >= MIN_BAND_RUNS;
  const anyBand = shown.some((c) => c.points.some((p) => banded(p.n)));
  const everywhere = shown.every((c) => c.points.every((p) => banded(p.n)));
  const series = shown.map((c): MeanSeries => ({
    name: c.arm,
    color: colorOf(c.arm),
    train: c.points.map((p) => p.train),
    val: c.points.map((p) => p.val),
    ...(anyBand ? { valLo: c.points.map((p) => (banded(p.n) ? p.valLo : null)), valHi: c.points.map((p) => (banded(p.n) ? p.valHi : null)) } : {}),
  }));
  return { series, note: bandNote(repeats, anyBand, everywhere) };
}
