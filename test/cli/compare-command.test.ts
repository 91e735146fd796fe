import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeTinyImages } from '../core/train/helpers/tiny-dataset.js';
import { cliWorkspace } from './smallset-cli.js';

const { dir, smallset, interrupt, library } = cliWorkspace('compare');

beforeAll(async () => {
  await writeTinyImages(path.join(dir, 'tiny'), { splits: 'folders', perClass: 10 });
  expect((await smallset('import', path.join(dir, 'tiny'), '--name', 'tiny')).code).toBe(0);
});

describe('smallset compare', () => {
  it('--json prints the comparison summary: arms with CIs, paired differences, verdict', async () => {
    const arms = path.join(dir, 'arms.json');
    writeFileSync(arms, JSON.stringify({ arms: [{ name: 'raw' }, { name: 'l2', l2: 0.01 }] }));
    const r = await smallset('compare', 'tiny', '--arms', arms, '--repeats', '2', '--epochs', '1', '--size', '16', '--report', path.join(dir, 'report'));
    expect(r.stderr).not.toMatch(/smallset:/);
    expect(r.code).toBe(0);
    const out = r.json as {
      comparisonId: number;
      arms: { name: string; valAcc: { mean: number; ci: [number, number] }; gap: { mean: number }; macroAuc: { mean: number } }[];
      vsBaseline: { arm: string; diff: number; ci: [number, number]; wins: number; repeats: number }[];
      verdict: string;
      report: { html: string };
    };
    expect(out.comparisonId).toBe(1);
    expect(out.arms.map((a) => a.name)).toEqual(['raw', 'l2']);
    for (const a of out.arms) {
      expect(a.valAcc.ci[0]).toBeLessThanOrEqual(a.valAcc.mean);
      expect(a.valAcc.ci[1]).toBeGreaterThanOrEqual(a.valAcc.mean);
      expect(typeof a.gap.mean).toBe('number');
      expect(typeof a.macroAuc.mean).toBe('number');
    }
    expect(out.vsBaseline).toEqual([expect.objectContaining({ arm: 'l2', repeats: 2, ci: expect.any(Array), diff: expect.any(Number) })]);
    expect(out.verdict).toMatch(/l2/);
    expect(out.report.html).toMatch(/comparison-1\.html$/);
  }, 150_000);

  it('names the arm and field of a bad arms file, and an unknown preset file', async () => {
    const bad = path.join(dir, 'bad-arms.json');
    writeFileSync(bad, JSON.stringify({ arms: [{ name: 'raw' }, { name: 'heavy', dropout: 2 }] }));
    const r = await smallset('compare', 'tiny', '--arms', bad);
    expect(r.code).toBe(2);
    expect(r.json).toEqual({ error: { code: 'invalid_input', message: expect.stringMatching(/arm "heavy" \(#2\): field "dropout"/) } });
    const missing = await smallset('compare', 'tiny', '--arms', 'raw-vs-augg');
    expect(missing.code).toBe(1);
    expect((missing.json.error as { message: string }).message).toMatch(/Cannot read arms file .*raw-vs-augg/);
  });

  it('Ctrl-C cancels the whole comparison: exit 130, nothing left pending', async () => {
    const { code, stderr } = await interrupt(['compare', 'tiny', '--arms', 'raw-vs-aug', '--repeats', '3', '--epochs', '200', '--size', '16'], /0\/6 runs · raw · repeat 1/);
    expect(code).toBe(130);
    expect(stderr).toMatch(/Comparison \d+ was cancelled/);
    const db = library();
    const comparison = db.prepare("SELECT id, status FROM comparisons WHERE preset = 'raw-vs-aug'").get() as { id: number; status: string };
    const rows = db.prepare('SELECT DISTINCT status FROM comparison_runs WHERE comparison_id = ?').all(comparison.id);
    const runs = db.prepare('SELECT status FROM runs WHERE comparison_id = ?').all(comparison.id);
    db.close();
    expect(comparison.status).toBe('cancelled');
    expect(rows).toEqual([{ status: 'cancelled' }]);
    expect(runs).toEqual([{ status: 'cancelled' }]);
  });
});
