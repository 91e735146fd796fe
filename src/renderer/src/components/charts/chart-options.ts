import type uPlot from 'uplot';
import { alpha, type ChartTheme } from '../../lib/chart-theme.svelte.js';
import type { ChartOptions } from './UPlot.svelte';

export const percent = (v: number | null | undefined): string => (v === null || v === undefined || Number.isNaN(v) ? '–' : `${(v * 100).toFixed(1)}%`);
export const decimal = (v: number | null | undefined): string => (v === null || v === undefined || Number.isNaN(v) ? '–' : v.toFixed(3));

export function axis(theme: ChartTheme, extra: uPlot.Axis = {}): uPlot.Axis {
  return {
    stroke: theme.text2,
    font: `11px ${theme.font}`,
    labelFont: `500 11px ${theme.font}`,
    grid: { stroke: theme.grid, width: 1 },
    ticks: { stroke: theme.axis, width: 1, size: 4 },
    ...extra,
  };
}

/** An x axis of whole epochs. */
export function epochAxis(theme: ChartTheme): uPlot.Axis {
  return axis(theme, { label: 'Epoch', labelSize: 16, size: 34, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500], values: (_u, v) => v.map((x) => String(x)) });
}

export function percentAxis(theme: ChartTheme, label: string): uPlot.Axis {
  return axis(theme, { label, labelSize: 18, size: 48, values: (_u, v) => v.map((x) => `${Math.round(x * 100)}%`) });
}

export function line(label: string, color: string, opts: { dash?: boolean; width?: number; value?: (v: number | null) => string } = {}): uPlot.Series {
  return {
    label,
    stroke: color,
    width: opts.width ?? 2,
    dash: opts.dash ? [5, 4] : undefined,
    spanGaps: true,
    // A lone value (one epoch so far) draws no line: show it as a dot.
    points: { show: (u, i) => Array.from(u.data[i] ?? [] as ArrayLike<number | null | undefined>).filter((v) => v != null).length === 1 },
    value: (_u, v) => (opts.value ?? percent)(v),
  };
}

/** An invisible series that only bounds a band. */
export function bound(label: string): uPlot.Series {
  return { label, show: true, stroke: 'transparent', width: 0, points: { show: false }, spanGaps: true };
}

export function band(upper: number, lower: number, color: string): uPlot.Band {
  return { series: [upper, lower], fill: alpha(color, 0.16) };
}

export function cursor(): uPlot.Cursor {
  return { drag: { x: false, y: false, setScale: false }, points: { size: 6 } };
}

/** What every line chart here shares: no uPlot legend (the figure draws its own) and the same cursor. */
export function chartOptions(opts: ChartOptions): ChartOptions {
  return { legend: { show: false }, cursor: cursor(), ...opts };
}

/** Adds a line and, after it, the two invisible bounds of its shaded band. */
export function pushBanded(series: uPlot.Series[], bands: uPlot.Band[], name: string, color: string, main: uPlot.Series): void {
  const low = series.length + 1;
  series.push(main, bound(`${name} low`), bound(`${name} high`));
  bands.push(band(low + 1, low, color));
}

/** An axis from 0 to 1 with one decimal, for rates. */
export function rateAxis(theme: ChartTheme, label: string, extra: uPlot.Axis = {}): uPlot.Axis {
  return axis(theme, { label, labelSize: 18, values: (_u, v) => v.map((x) => x.toFixed(1)), ...extra });
}

