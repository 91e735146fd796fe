import { describe, expect, it } from 'vitest';
import { defaultPeersDir, runBench } from '../../src/cli/bench/index.js';

describe('bench export suite', () => {
  it('runs (quick sizes) into figures beside the peer export figure', async () => {
    const lines: string[] = [];
    const report = await runBench('export', { signal: new AbortController().signal, log: (l) => lines.push(l), peersDir: defaultPeersDir(), quick: true });
    expect(report.suite).toBe('export');
    expect(report.figures).toHaveLength(3);
    for (const f of report.figures.slice(0, 2)) {
      expect(f.unit).toBe('img/s');
      expect(Number.isFinite(f.value) && f.value > 0).toBe(true);
      if (f.peer) expect(f.ratio).toBeCloseTo(f.value / f.peer.value, 2);
      else expect(f.ratio).toBeNull();
    }
    const steps = report.figures[2]!;
    expect(steps.unit).toBe('ms');
    expect(steps.value).toBeGreaterThan(0);
    // Every step of the render is there, the standard chain as the render groups it.
    for (const step of ['read + sha1', 'decode', 'hflip+rotate+random_resized_crop', 'brightness+contrast+saturation+hue', 'gaussian_blur', 'encode 224×224', 'write']) {
      expect(steps.note).toContain(step);
    }
    expect(lines.some((l) => l.startsWith('steps of one copy'))).toBe(true);
  });
});
