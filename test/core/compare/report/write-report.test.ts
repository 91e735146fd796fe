import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ComparisonConfig, ComparisonDetail } from '../../../../src/shared/api/compare.js';
import { openDb } from '../../../../src/core/db/open-db.js';
import { aggregate, type RunForResults } from '../../../../src/core/compare/results.js';
import { reportData, writeReport } from '../../../../src/core/compare/report/write-report.js';

const arm = (name: string, pipeline: ComparisonConfig['arms'][number]['pipeline'] = null) => ({
  name,
  pipeline,
  l1: 0,
  l2: 0,
  dropout: 0,
  batchNorm: false,
  earlyStopping: null,
});
const config: ComparisonConfig = {
  arms: [arm('raw'), arm('aug <b>&"quoted"', { version: 1, ops: [{ op: 'hflip', p: 0.5 }] })],
  baseline: 'raw',
  repeats: 2,
  fractions: [0.5, 1],
  epochs: 2,
  size: 16,
  seed: 0,
  concurrency: 1,
};

function runFor(armIndex: number, repeat: number, fraction: number, val: number): RunForResults {
  return {
    armIndex,
    arm: config.arms[armIndex]!.name,
    repeat,
    fraction,
    status: 'done',
    outcome: {
      trainAcc: val + 0.2,
      valAcc: val,
      testAcc: null,
      macroAuc: 0.9,
      epochs: 2,
      backend: 'cpu',
      curve: [
        { epoch: 1, trainAcc: val, valAcc: val - 0.1 },
        { epoch: 2, trainAcc: val + 0.2, valAcc: val },
      ],
    },
  };
}

describe('writeReport', () => {
  it('writes a self-contained HTML report, the JSON it shows and one CSV line per run', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'smallset-report-'));
    const db = openDb(path.join(dir, 'library.db'));
    db.prepare("INSERT INTO datasets (id, name, root) VALUES (1, 'shapes', '/data/shapes')").run();
    db.prepare("INSERT INTO classes (id, dataset_id, name, color) VALUES (1, 1, 'circle', '#ff0000')").run();
    db.prepare("INSERT INTO images (dataset_id, rel_path, class_id, split) VALUES (1, 'circle/a.png', 1, 'train'), (1, 'circle/b.png', 1, 'val')").run();

    const runs: RunForResults[] = [];
    for (const fraction of config.fractions) for (let r = 0; r < 2; r++) runs.push(runFor(0, r, fraction, 0.6 + r * 0.02), runFor(1, r, fraction, 0.7 + r * 0.03));
    runs.push({ ...runFor(1, 1, 1, 0), status: 'failed', outcome: null });
    const agg = aggregate(config, runs.slice(0, -2).concat(runs.slice(-1)));
    const detail: ComparisonDetail = {
      id: 7,
      datasetId: 1,
      name: 'Raw vs <augmented>',
      preset: 'learning-curve',
      status: 'done',
      total: runs.length - 1,
      done: runs.length - 2,
      failed: 1,
      createdAt: '2025-01-01T00:00:00Z',
      finishedAt: '2025-01-01T00:10:00Z',
      verdict: agg.verdict,
      config,
      metric: agg.metric,
      arms: agg.arms,
      vsBaseline: agg.vsBaseline,
      curves: agg.curves,
      runs: runs.slice(0, -2).concat(runs.slice(-1)).map((r, i) => ({
        id: i + 1,
        arm: r.arm,
        armIndex: r.armIndex,
        repeat: r.repeat,
        fraction: r.fraction,
        seed: 100 + r.repeat,
        status: r.status,
        runId: r.outcome ? `run-${i}` : null,
        attempts: 1,
        error: r.outcome ? null : 'out of memory, "really"',
        trainAcc: r.outcome?.trainAcc ?? null,
        valAcc: r.outcome?.valAcc ?? null,
        testAcc: null,
        macroAuc: r.outcome?.macroAuc ?? null,
        epochs: r.outcome?.epochs ?? null,
        backend: r.outcome?.backend ?? null,
      })),
    };
    const files = writeReport(path.join(dir, 'out'), reportData(db, detail));
    db.close();

    const html = readFileSync(files.html, 'utf8');
    expect(html).not.toMatch(/<script|<link|\bsrc=|href=|url\(/i);
    expect(html).toContain('Raw vs &lt;augmented&gt;');
    expect(html).toContain('aug &lt;b&gt;&amp;&quot;quoted&quot;');
    expect(html).not.toContain('<b>&"quoted"');
    expect((html.match(/<svg viewBox/g) ?? []).length).toBe(4); // dots + 2 curve charts + fraction chart
    // Two repeats: an interval wider than the scale, so the line charts shade no band.
    expect(html).not.toContain('<polygon');
    expect(html).toContain(detail.verdict!.split('.')[0]!.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;'));
    expect(html).toContain('shapes');
    expect(html).toMatch(/TensorFlow\.js<\/th>/);

    const json = JSON.parse(readFileSync(files.json, 'utf8')) as { comparison: ComparisonDetail; dataset: { classes: Record<string, number> }; environment: { backends: string[] } };
    expect(json.comparison.vsBaseline).toHaveLength(2);
    expect(json.dataset.classes).toEqual({ circle: 2 });
    expect(json.environment.backends).toEqual(['cpu']);

    const csv = readFileSync(files.csv, 'utf8').trim().split('\n');
    expect(csv).toHaveLength(1 + detail.runs.length);
    expect(csv[0]).toMatch(/^comparison_id,arm,arm_index,repeat,fraction,seed,status,run_id/);
    expect(csv.at(-1)).toContain('"out of memory, ""really"""');
    expect(csv[1]!.split(',')[13]).toBe(String(0.6 + 0.2 - 0.6));
  });
});
