import type { ArmResult, Stat } from '../../../shared/api/compare.js';
import type { ReportData } from './report-data.js';
import { colour, escapeXml as esc, intervalChart, lineChart, type LineSeries } from './svg.js';

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '–' : `${(v * 100).toFixed(1)}%`);
const pts = (v: number | null | undefined) => (v === null || v === undefined ? '–' : (v * 100).toFixed(1));
const fractionLabel = (f: number) => `${Math.round(f * 1000) / 10}%`;

function statCell(s: Stat | null, asPoints = false): string {
  if (!s || s.mean === null) return '<td>–</td>';
  const show = asPoints ? pts : pct;
  const ci = s.ci ? `<span class="ci">${show(s.ci[0])} – ${show(s.ci[1])}</span>` : '<span class="ci">n = 1</span>';
  return `<td>${show(s.mean)} ${ci}</td>`;
}

function table(head: string[], rows: string[][]): string {
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => (c.startsWith('<td') ? c : `<td>${c}</td>`)).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

const STYLE = `
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#111827;max-width:960px;margin:2rem auto;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #e5e7eb;padding-bottom:.2rem}
.sub{color:#6b7280;margin-top:0}.verdict{font-size:1.05rem;background:#f3f4f6;border-left:4px solid #0072B2;padding:.8rem 1rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #e5e7eb;vertical-align:top}
th{background:#f9fafb;font-weight:600}.ci{color:#6b7280;font-size:.85em;white-space:nowrap}
figure{margin:1rem 0}figcaption{color:#374151;font-size:.9rem}.legend{margin-top:.2rem}.key{margin-right:1rem;white-space:nowrap}
.key svg{vertical-align:middle;margin-right:.3rem}pre{background:#f9fafb;padding:.6rem;overflow:auto;font-size:12px}
.note{color:#6b7280;font-size:.9rem}.better{color:#047857}.worse{color:#b91c1c}
`;

function armTable(arms: ArmResult[], multiFraction: boolean, hasTest: boolean): string {
  const head = [...(multiFraction ? ['Training share'] : []), 'Arm', 'Runs', 'Train acc.', 'Val. acc. (95% CI)', ...(hasTest ? ['Test acc. (95% CI)'] : []), 'Macro-AUC', 'Gap (points)', 'Epochs', 'Trainable weights', 'Seconds per run'];
  const rows = arms.map((a) => [
    ...(multiFraction ? [fractionLabel(a.fraction)] : []),
    esc(a.name),
    String(a.runs),
    statCell(a.trainAcc),
    statCell(a.valAcc),
    ...(hasTest ? [statCell(a.testAcc)] : []),
    statCell(a.macroAuc),
    statCell(a.gap, true),
    a.epochs.mean === null ? '–' : a.epochs.mean.toFixed(1),
    a.trainableParams === null ? '–' : a.trainableParams.toLocaleString('en-US'),
    a.seconds.mean === null ? '–' : a.seconds.mean.toFixed(1),
  ]);
  return table(head, rows);
}

function curveCharts(data: ReportData): string {
  const c = data.comparison;
  const out: string[] = [];
  for (const fraction of c.config.fractions) {
    const series: LineSeries[] = [];
    c.curves
      .filter((k) => k.fraction === fraction)
      .forEach((k) => {
        const i = c.config.arms.findIndex((a) => a.name === k.arm);
        // Two runs give an interval wider than the scale: no band where fewer than three reached the epoch.
        const band = (p: { n: number }, lo: number, hi: number) => (p.n >= 3 ? { lo, hi } : {});
        series.push({ name: `${k.arm} · validation`, colour: colour(i), points: k.points.map((p) => ({ x: p.epoch, y: p.val, ...band(p, p.valLo, p.valHi) })) });
        series.push({ name: `${k.arm} · train`, colour: colour(i), dashed: true, points: k.points.map((p) => ({ x: p.epoch, y: p.train, ...band(p, p.trainLo, p.trainHi) })) });
      });
    const share = c.config.fractions.length > 1 ? ` (${fractionLabel(fraction)} of the training images)` : '';
    out.push(
      lineChart({
        title: `Mean accuracy per epoch${share}: validation solid, training dashed (batch means while training, so on augmented images for augmented arms); bands: 95% interval over repeats, where 3 or more runs reached the epoch`,
        xTitle: 'epoch',
        yTitle: 'accuracy',
        series,
      }),
    );
  }
  return out.join('');
}

function fractionChart(data: ReportData): string {
  const c = data.comparison;
  if (c.config.fractions.length < 2) return '';
  const key = c.metric;
  const series: LineSeries[] = c.config.arms.map((arm, i) => ({
    name: arm.name,
    colour: colour(i),
    points: c.arms
      .filter((a) => a.name === arm.name && (a[key] ?? a.valAcc).mean !== null)
      .map((a) => {
        const s = a[key] ?? a.valAcc;
        return { x: a.fraction, y: s.mean!, ...(s.n >= 3 && s.ci ? { lo: s.ci[0], hi: s.ci[1] } : {}) };
      }),
  }));
  return `<h2>Accuracy vs amount of training data</h2>${lineChart({
    title: `Mean ${key === 'testAcc' ? 'test' : 'validation'} accuracy by share of the training split; bands: 95% interval (3 or more runs)`,
    xTitle: 'share of the training images',
    yTitle: 'accuracy',
    series,
    xTicks: c.config.fractions,
    xLabel: fractionLabel,
  })}`;
}

/** The whole report as one HTML file: inline CSS and SVG, no script, nothing fetched. */
export function reportHtml(data: ReportData): string {
  const c = data.comparison;
  const multi = c.config.fractions.length > 1;
  const hasTest = c.arms.some((a) => a.testAcc !== null);
  const metricName = c.metric === 'testAcc' ? 'test accuracy' : 'validation accuracy';
  const last = c.config.fractions[c.config.fractions.length - 1]!;
  const dots = intervalChart({
    title: `Mean ${metricName}${multi ? ` with ${fractionLabel(last)} of the training images` : ''}; whiskers: 95% interval over repeats`,
    yTitle: metricName,
    points: c.config.arms.map((arm, i) => {
      const r = c.arms.find((a) => a.name === arm.name && a.fraction === last);
      const s = r ? (r[c.metric] ?? r.valAcc) : null;
      return { name: arm.name, colour: colour(i), value: s?.mean ?? null, lo: s?.ci?.[0] ?? null, hi: s?.ci?.[1] ?? null };
    }),
  });
  const vsRows = c.vsBaseline.map((v) => [
    ...(multi ? [fractionLabel(v.fraction)] : []),
    esc(v.arm),
    v.diff === null ? '–' : `<span class="${v.kind === 'better' ? 'better' : v.kind === 'worse' ? 'worse' : ''}">${v.diff >= 0 ? '+' : ''}${pts(v.diff)}</span>`,
    v.ci ? `${pts(v.ci[0])} to ${pts(v.ci[1])}` : '–',
    `${v.wins} of ${v.repeats}`,
    esc(v.text),
  ]);
  const settings = {
    repeats: c.config.repeats,
    fractions: c.config.fractions,
    epochs: c.config.epochs,
    size: c.config.size,
    seed: c.config.seed,
    baseline: c.config.baseline,
    concurrency: c.config.concurrency,
  };
  const env = data.environment;
  const ds = data.dataset;
  const runRows = c.runs.map((r) => [
    esc(r.arm),
    String(r.repeat + 1),
    ...(multi ? [fractionLabel(r.fraction)] : []),
    String(r.seed),
    esc(r.status),
    pct(r.trainAcc),
    pct(r.valAcc),
    ...(hasTest ? [pct(r.testAcc)] : []),
    r.macroAuc === null ? '–' : r.macroAuc.toFixed(3),
    r.epochs === null ? '–' : String(r.epochs),
    esc(r.backend ?? '–'),
    esc(r.runId ?? '–'),
    esc(r.error ?? ''),
  ]);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(c.name)} — Smallset Studio comparison</title><style>${STYLE}</style></head><body>
<h1>${esc(c.name)}</h1>
<p class="sub">Dataset <b>${esc(ds.name)}</b> · comparison ${c.id} · ${esc(c.status)} · ${c.done} of ${c.total} runs finished${c.failed ? `, ${c.failed} failed` : ''} · report generated ${esc(data.generatedAt)}</p>
<p class="verdict">${esc(c.verdict ?? 'No run has finished yet.')}</p>
<p class="note">Paired design: within a repeat every arm trains on the same split and training subset from the same initial weights, so differences are about the arms, not luck.
Intervals are 95% Student-t intervals over repeats; a difference counts only when its whole interval is on one side of zero.
The verdict is about ${metricName}${c.metric === 'valAcc' ? '' : ' (held out from early stopping and model choice)'}.</p>
${dots}
<h2>Per arm</h2>
${armTable(c.arms, multi, hasTest)}
<p class="note">Gap = accuracy on the training images (without augmentation) minus validation accuracy, per run, in percentage points.</p>
${c.vsBaseline.length ? `<h2>Against the baseline (${esc(c.config.baseline)})</h2>${table([...(multi ? ['Training share'] : []), 'Arm', 'Difference (points)', '95% CI', 'Repeats won', 'In words'], vsRows)}` : ''}
<h2>Learning curves</h2>
${curveCharts(data)}
${fractionChart(data)}
<h2>Configuration</h2>
<pre>${esc(JSON.stringify(settings, null, 2))}</pre>
${table(['Arm', 'Pipeline', 'Options'], c.config.arms.map((a) => {
    const { name, pipeline, ...options } = a;
    return [esc(name), pipeline ? `<pre>${esc(JSON.stringify(pipeline, null, 1))}</pre>` : 'none (raw images)', `<pre>${esc(JSON.stringify(options, null, 1))}</pre>`];
  }))}
<h2>Dataset</h2>
${table(['Name', 'Folder', 'Images', 'Classes', 'Splits'], [[
    esc(ds.name),
    esc(ds.root),
    String(ds.images),
    esc(Object.entries(ds.classes).map(([k, v]) => `${k} ${v}`).join(', ')),
    esc(Object.entries(ds.splits).map(([k, v]) => `${k} ${v}`).join(', ')),
  ]])}
<h2>Machine and versions</h2>
${table(['Smallset Studio', 'TensorFlow.js', 'Backend', 'Node', 'System', 'CPU'], [[
    esc(env.app),
    esc(env.tfjs ?? 'unknown'),
    esc(env.backends.join(', ') || '–'),
    esc(env.node),
    esc(`${env.platform} ${env.arch}`),
    esc(`${env.cpus} × ${env.cpuModel}`),
  ]])}
<h2>Runs</h2>
${table(['Arm', 'Repeat', ...(multi ? ['Share'] : []), 'Seed', 'Status', 'Train', 'Val.', ...(hasTest ? ['Test'] : []), 'Macro-AUC', 'Epochs', 'Backend', 'Run', 'Error'], runRows)}
</body></html>
`;
}
