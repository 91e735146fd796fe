/**
 * A round top for a scale from 0 (1.45 → 1.5, 0.37 → 0.4), so the highest grid line carries a label
 * and a curve near the top does not run along an unlabelled edge.
 */
export function niceTop(max: number): number {
  if (!(max > 0.1)) return 0.1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  const step = [0.1, 0.2, 0.25, 0.5, 1, 2].map((f) => f * magnitude).find((s) => max / s <= 5) ?? 2 * magnitude;
  return Math.ceil(max / step - 1e-9) * step;
}
