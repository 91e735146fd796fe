import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeTinyImages } from '../core/train/helpers/tiny-dataset.js';
import { cliWorkspace } from './smallset-cli.js';

const { dir, smallset, interrupt, library } = cliWorkspace('train');

beforeAll(async () => {
  await writeTinyImages(path.join(dir, 'tiny'), { splits: 'folders', perClass: 10 });
  const imported = await smallset('import', path.join(dir, 'tiny'), '--name', 'tiny');
  expect(imported.code).toBe(0);
});

describe('smallset train', () => {
  it('--json prints the run id, backend, per-epoch curves and the final metrics', async () => {
    const r = await smallset('train', 'tiny', '--size', '16', '--epochs', '3', '--batch-size', '8', '--seed', '2', '--dropout', '0.1');
    expect(r.code).toBe(0);
    const out = r.json as {
      runId: string;
      backend: string;
      epochs: Record<string, number>[];
      metrics: { valAcc: number; macroF1: number; macroAuc: number; fmi: number; gap: number; confusion: number[][] };
    };
    // Exactly the documented shape: {"runId","backend","epochs":[{"epoch","loss","acc","valLoss","valAcc"}],"metrics":{"valAcc","macroF1","macroAuc","fmi","gap","confusion"}}.
    expect(Object.keys(out).sort()).toEqual(['backend', 'epochs', 'metrics', 'runId']);
    expect(Object.keys(out.metrics).sort()).toEqual(['confusion', 'fmi', 'gap', 'macroAuc', 'macroF1', 'valAcc']);
    expect(out.runId).toMatch(/^run-/);
    expect(['wasm', 'cpu', 'tensorflow']).toContain(out.backend);
    expect(out.epochs.map((e) => Object.keys(e).sort())).toEqual(Array(3).fill(['acc', 'epoch', 'loss', 'valAcc', 'valLoss']));
    expect(out.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    for (const key of ['valAcc', 'macroF1', 'macroAuc', 'fmi', 'gap'] as const) expect(typeof out.metrics[key]).toBe('number');
    // 2 validation images per class (every fifth of 10), 3 classes.
    expect(out.metrics.confusion.flat().reduce((a, b) => a + b, 0)).toBe(6);
    expect(out.metrics.valAcc).toBeGreaterThan(0.5);
  });

  it('rejects bad flags with a one-line reason naming the flag', async () => {
    const r = await smallset('train', 'tiny', '--dropout', '1.5');
    expect(r.code).toBe(2);
    expect(r.json).toEqual({ error: { code: 'invalid_input', message: expect.stringContaining('--dropout') } });
  });

  it('Ctrl-C cancels the run: exit code 130 and the run is recorded as cancelled', async () => {
    const { code, stderr } = await interrupt(['train', 'tiny', '--size', '16', '--epochs', '500'], /epoch \d+\/500/);
    expect(code).toBe(130);
    expect(stderr).toMatch(/was cancelled/);
    const db = library();
    const rows = db.prepare("SELECT status FROM runs WHERE json_extract(config, '$.epochs') = 500").all();
    db.close();
    expect(rows).toEqual([{ status: 'cancelled' }]);
  });
});
