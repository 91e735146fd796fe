import type { Stat } from '../../../../shared/api/compare.js';

export function pct(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '–' : `${(v * 100).toFixed(digits)}%`;
}

/** A difference in percentage points, signed. */
export function points(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  const p = v * 100;
  return `${p > 0 ? '+' : p < 0 ? '−' : '±'}${Math.abs(p).toFixed(1)} pt`;
}

export function ciText(ci: [number, number] | null, fmt: (v: number) => string = (v) => pct(v)): string {
  return ci ? `${fmt(ci[0])} … ${fmt(ci[1])}` : 'n/a';
}

export function statText(s: Stat | null | undefined): string {
  return s && s.mean !== null ? pct(s.mean) : '–';
}

export function duration(seconds: number): string {
  if (seconds < 45) return `about ${Math.max(5, Math.round(seconds / 5) * 5)} s`;
  if (seconds < 90) return 'about a minute';
  if (seconds < 3600) return `about ${Math.round(seconds / 60)} min`;
  const h = Math.floor(seconds / 3600);
  return `about ${h} h ${Math.round((seconds - h * 3600) / 60)} min`;
}

export function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Fewer runs than this draw no 95% band: from two, the interval spans more than the whole scale. */
export const MIN_BAND_RUNS = 3;

/** What a chart of means says about its shading, so the key never promises a band it does not draw. */
export function bandNote(repeats: number, anyBand: boolean, everywhere: boolean): string {
  if (repeats <= 1) return 'one run per arm';
  if (!anyBand) return `mean of ${repeats} repeats · a 95% band needs ${MIN_BAND_RUNS}+`;
  return everywhere ? 'band: 95% interval over repeats' : `band: 95% interval where ${MIN_BAND_RUNS}+ runs`;
}
