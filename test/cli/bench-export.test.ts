import { describe, expect, it } from 'vitest';
import { defaultPeersDir, runBench } from '../../src/cli/bench/index.js';

describe('bench export suite', () => {
  it('runs (quick sizes) into figures beside the peer export figure', async () => {
    const lines: string[] = [];
    const report = await runBench('export', { signal: new AbortController().signal, log: (l) => lines.push(l), peersDir: defaultPeersDir(), quick: true });
    expect(report.suite).toBe('export');
    expect(report.figures).toHaveLength(2);
    for (const f of report.figures) {
      expect(f.unit).toBe('img/s');
      expect(Number.isFinite(f.value) && f.value > 0).toBe(true);
      if (f.peer) expect(f.ratio).toBeCloseTo(f.value / f.peer.value, 2);
      else expect(f.ratio).toBeNull();
    }
    expect(lines.length).toBeGreaterThan(0);
  });
});
