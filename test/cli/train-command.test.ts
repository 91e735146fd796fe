import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyImages } from '../core/train/helpers/tiny-dataset.js';

const run = promisify(execFile);
const bin = path.resolve('bin/smallset');
let dir: string;

async function smallset(...args: string[]): Promise<{ code: number; json: Record<string, unknown>; stderr: string }> {
  try {
    const { stdout, stderr } = await run(bin, ['--data', path.join(dir, 'data'), '--json', ...args], { encoding: 'utf8' });
    return { code: 0, json: JSON.parse(stdout) as Record<string, unknown>, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, json: JSON.parse(e.stdout) as Record<string, unknown>, stderr: e.stderr };
  }
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'smallset-cli-train-'));
  await writeTinyImages(path.join(dir, 'tiny'), { splits: 'folders', perClass: 10 });
  const imported = await smallset('import', path.join(dir, 'tiny'), '--name', 'tiny');
  expect(imported.code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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
    const child = spawn(bin, ['--data', path.join(dir, 'data'), 'train', 'tiny', '--size', '16', '--epochs', '500'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (/epoch \d+\/500/.test(stderr)) resolve();
      });
    });
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(130);
    expect(stderr).toMatch(/was cancelled/);
    const db = new Database(path.join(dir, 'data', 'library.db'), { readonly: true });
    const rows = db.prepare("SELECT status FROM runs WHERE json_extract(config, '$.epochs') = 500").all();
    db.close();
    expect(rows).toEqual([{ status: 'cancelled' }]);
  });
});
