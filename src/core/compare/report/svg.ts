/**
 * Small server-side SVG charts for the report: no script, no external asset, readable when printed.
 * Values are accuracies in [0, 1] shown as percentages.
 */

/** Okabe–Ito: distinguishable with the common colour-vision deficiencies. */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];

export function colour(i: number): string {
  return PALETTE[i % PALETTE.length]!;
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const W = 640;
const H = 300;
const M = { top: 16, right: 16, bottom: 44, left: 52 };
const PW = W - M.left - M.right;
const PH = H - M.top - M.bottom;

const f = (n: number) => (Math.round(n * 10) / 10).toString();

/** Nice y-range in [0, 1] around the data, padded, on 5-point steps. */
function yRange(values: number[]): [number, number] {
  const finite = values.filter(Number.isFinite);
  if (!finite.length) return [0, 1];
  const lo = Math.max(0, Math.floor((Math.min(...finite) - 0.02) * 20) / 20);
  const hi = Math.min(1, Math.ceil((Math.max(...finite) + 0.02) * 20) / 20);
  return hi - lo < 0.1 ? [Math.max(0, lo - 0.05), Math.min(1, hi + 0.05)] : [lo, hi];
}

function axes(x: { ticks: { at: number; label: string }[]; title: string }, y: [number, number], yTitle: string, sx: (v: number) => number, sy: (v: number) => number): string {
  const out: string[] = [];
  const step = y[1] - y[0] > 0.5 ? 0.1 : 0.05;
  for (let v = Math.ceil(y[0] / step - 1e-9) * step; v <= y[1] + 1e-9; v += step) {
    const py = f(sy(v));
    out.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${py}" y2="${py}" stroke="#e5e7eb"/>`);
    out.push(`<text x="${M.left - 6}" y="${py}" text-anchor="end" dominant-baseline="middle">${Math.round(v * 100)}%</text>`);
  }
  for (const t of x.ticks) {
    out.push(`<text x="${f(sx(t.at))}" y="${H - M.bottom + 16}" text-anchor="middle">${escapeXml(t.label)}</text>`);
  }
  out.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" stroke="#6b7280"/>`);
  out.push(`<text x="${M.left + PW / 2}" y="${H - 6}" text-anchor="middle">${escapeXml(x.title)}</text>`);
  out.push(`<text transform="translate(12 ${M.top + PH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(yTitle)}</text>`);
  return out.join('');
}

function svg(title: string, body: string, legend: { name: string; colour: string; dashed?: boolean }[]): string {
  const items = legend
    .map(
      (l) =>
        `<span class="key"><svg width="22" height="10" aria-hidden="true"><line x1="0" x2="22" y1="5" y2="5" stroke="${l.colour}" stroke-width="3"${l.dashed ? ' stroke-dasharray="4 3"' : ''}/></svg>${escapeXml(l.name)}</span>`,
    )
    .join(' ');
  return `<figure><svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeXml(title)}" font-family="system-ui, sans-serif" font-size="11" fill="#111827">${body}</svg><figcaption>${escapeXml(title)}${items ? `<div class="legend">${items}</div>` : ''}</figcaption></figure>`;
}

export interface LinePoint {
  x: number;
  y: number;
  lo?: number;
  hi?: number;
}
export interface LineSeries {
  name: string;
  colour: string;
  dashed?: boolean;
  points: LinePoint[];
}

/** Lines with optional shaded bands (lo–hi), e.g. mean accuracy per epoch with its 95% interval. */
export function lineChart(opts: { title: string; xTitle: string; yTitle: string; series: LineSeries[]; xLabel?: (x: number) => string; xTicks?: number[] }): string {
  const all = opts.series.flatMap((s) => s.points);
  if (!all.length) return svg(opts.title, `<text x="${W / 2}" y="${H / 2}" text-anchor="middle">no data yet</text>`, []);
  const xs = opts.xTicks ?? [...new Set(all.map((p) => p.x))].sort((a, b) => a - b);
  const x0 = Math.min(...all.map((p) => p.x), ...xs);
  const x1 = Math.max(...all.map((p) => p.x), ...xs);
  const y = yRange(all.flatMap((p) => [p.y, p.lo ?? p.y, p.hi ?? p.y]));
  const sx = (v: number) => M.left + (x1 === x0 ? PW / 2 : ((v - x0) / (x1 - x0)) * PW);
  const sy = (v: number) => M.top + (1 - (v - y[0]) / (y[1] - y[0])) * PH;
  const shownTicks = xs.length > 12 ? xs.filter((_, i) => i % Math.ceil(xs.length / 12) === 0) : xs;
  const label = opts.xLabel ?? ((v: number) => String(v));
  const parts = [axes({ ticks: shownTicks.map((at) => ({ at, label: label(at) })), title: opts.xTitle }, y, opts.yTitle, sx, sy)];
  for (const s of opts.series) {
    const pts = [...s.points].sort((a, b) => a.x - b.x);
    if (pts.some((p) => p.lo !== undefined && p.hi !== undefined && p.hi > p.lo)) {
      const upper = pts.map((p) => `${f(sx(p.x))},${f(sy(p.hi ?? p.y))}`);
      const lower = pts.map((p) => `${f(sx(p.x))},${f(sy(p.lo ?? p.y))}`).reverse();
      parts.push(`<polygon points="${[...upper, ...lower].join(' ')}" fill="${s.colour}" fill-opacity="0.15" stroke="none"/>`);
    }
    const d = pts.map((p, i) => `${i ? 'L' : 'M'}${f(sx(p.x))} ${f(sy(p.y))}`).join(' ');
    parts.push(`<path d="${d}" fill="none" stroke="${s.colour}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 4"' : ''}/>`);
    for (const p of pts.length <= 12 ? pts : []) parts.push(`<circle cx="${f(sx(p.x))}" cy="${f(sy(p.y))}" r="2.5" fill="${s.colour}"/>`);
  }
  return svg(opts.title, parts.join(''), opts.series.map((s) => ({ name: s.name, colour: s.colour, dashed: s.dashed ?? false })));
}

export interface IntervalPoint {
  name: string;
  colour: string;
  value: number | null;
  lo: number | null;
  hi: number | null;
}

/**
 * One dot per arm with its 95% interval as whiskers. Dots rather than bars: the axis does not start
 * at zero, and a bar on a cut axis would exaggerate the difference.
 */
export function intervalChart(opts: { title: string; yTitle: string; points: IntervalPoint[] }): string {
  const vals = opts.points.flatMap((b) => [b.value, b.lo, b.hi]).filter((v): v is number => v !== null);
  if (!vals.length) return svg(opts.title, `<text x="${W / 2}" y="${H / 2}" text-anchor="middle">no data yet</text>`, []);
  const y = yRange(vals);
  const n = opts.points.length;
  const slot = PW / n;
  const sx = (i: number) => M.left + slot * (i + 0.5);
  const sy = (v: number) => M.top + (1 - (v - y[0]) / (y[1] - y[0])) * PH;
  const short = (s: string) => (s.length > 18 && n > 3 ? `${s.slice(0, 16)}…` : s);
  const parts = [axes({ ticks: opts.points.map((b, i) => ({ at: i, label: short(b.name) })), title: '' }, y, opts.yTitle, sx, sy)];
  opts.points.forEach((b, i) => {
    if (b.value === null) return;
    const x = f(sx(i));
    if (b.lo !== null && b.hi !== null) {
      const [lo, hi] = [f(sy(b.lo)), f(sy(b.hi))];
      parts.push(`<path d="M${x} ${lo} V${hi} M${f(sx(i) - 8)} ${lo} H${f(sx(i) + 8)} M${f(sx(i) - 8)} ${hi} H${f(sx(i) + 8)}" stroke="${b.colour}" stroke-width="2" fill="none"/>`);
    }
    parts.push(`<circle cx="${x}" cy="${f(sy(b.value))}" r="5" fill="${b.colour}"><title>${escapeXml(b.name)}: ${(b.value * 100).toFixed(1)}%</title></circle>`);
    parts.push(`<text x="${f(sx(i) + 10)}" y="${f(sy(b.value))}" dominant-baseline="middle">${(b.value * 100).toFixed(1)}%</text>`);
  });
  return svg(opts.title, parts.join(''), []);
}
