import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os, { availableParallelism } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pytorchTrainFigure, trainSuite } from '../../../src/cli/bench/train-suite.js';

const peersDir = mkdtempSync(path.join(os.tmpdir(), 'smallset-peers-'));
afterAll(() => rmSync(peersDir, { recursive: true, force: true }));

/** A peer result file shaped like train_bench.py's --json output. */
function writePeerRun(file: string, medians: Record<number, number>): void {
  mkdirSync(path.join(peersDir, 'results'), { recursive: true });
  const results = Object.entries(medians).map(([size, median]) => ({ size: Number(size), train_img_s: { median } }));
  writeFileSync(path.join(peersDir, 'results', file), JSON.stringify({ meta: {}, results }));
}

describe('train bench suite', () => {
  it('takes PyTorch’s figure as the median of the 2-thread runs’ medians', () => {
    writePeerRun('train.json', { 16: 900, 64: 1603 });
    writePeerRun('train_run2.json', { 16: 1000, 64: 1597 });
    writePeerRun('train_run3.json', { 16: 1100, 64: 1851 });
    writePeerRun('train_run4.json', { 64: 1888 });
    writePeerRun('train_1thread.json', { 64: 1158 }); // another configuration: not counted
    expect(pytorchTrainFigure(peersDir, 64)?.value).toBeCloseTo(1727, 6);
    expect(pytorchTrainFigure(peersDir, 16)?.value).toBe(1000);
    expect(pytorchTrainFigure(path.join(peersDir, 'missing'), 64)).toBeNull();
  });

  it('measures every available backend with and without batch norm (quick sizes)', async () => {
    const lines: string[] = [];
    const figures = await trainSuite.run({ signal: new AbortController().signal, log: (l) => lines.push(l), peersDir, quick: true });
    const names = figures.map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['wasm-cnn16', 'wasm-cnn16-bn', 'cpu-cnn16']));
    const threads = Math.min(availableParallelism(), 4);
    if (threads > 1) expect(names).toEqual(expect.arrayContaining([`wasm-${threads}t-cnn16`, `wasm-${threads}t-cnn16-bn`]));
    for (const f of figures) {
      expect(f.unit).toBe('img/s');
      expect(f.value).toBeGreaterThan(0);
      expect(f.peer?.value).toBe(1000);
      expect(f.ratio).toBeCloseTo(f.value / 1000, 2);
    }
    expect(lines).toHaveLength(figures.length);
  });
});
