import { describe, expect, it } from 'vitest';
import { defaultPeersDir, findSuite, ratio, runBench, suites } from '../../src/cli/bench/index.js';
import { suiteNames } from '../../src/cli/bench/suite-names.js';

describe('bench registry', () => {
  it('lists the import suite and orients ratios so higher is better for us', () => {
    expect(findSuite('import')).toBe(suites.find((s) => s.name === 'import'));
    expect(ratio(300, { value: 150 }, 'higher')).toBe(2);
    expect(ratio(10, { value: 20 }, 'lower')).toBe(2);
    expect(ratio(10, null, 'lower')).toBeNull();
  });

  it('names the suites in the CLI help exactly as the registry has them', () => {
    expect([...suiteNames]).toEqual(suites.map((s) => s.name));
  });

  it('runs the import suite (quick sizes) into the agreed report shape', async () => {
    const lines: string[] = [];
    const report = await runBench('import', { signal: new AbortController().signal, log: (l) => lines.push(l), peersDir: defaultPeersDir(), quick: true });
    expect(report.suite).toBe('import');
    expect(report.machine.cpus).toBeGreaterThan(0);
    expect(report.machine.loadBefore).toHaveLength(3);
    expect(report.figures.length).toBeGreaterThanOrEqual(2);
    for (const f of report.figures) {
      expect(Object.keys(f)).toEqual(expect.arrayContaining(['name', 'value', 'unit', 'peer', 'ratio']));
      expect(Number.isFinite(f.value) && f.value > 0).toBe(true);
      if (f.peer) expect(f.ratio).toBeCloseTo(f.value / f.peer.value, 2);
      else expect(f.ratio).toBeNull();
    }
    expect(report.figures[0]).toMatchObject({ unit: 'img/s' });
    expect(report.figures.filter((f) => f.unit === 'ms').length).toBeGreaterThanOrEqual(7);
    const filters = report.figures.filter((f) => f.name.startsWith('images.query filter'));
    expect(filters.length).toBeGreaterThanOrEqual(7);
    for (const f of filters) expect(f.note, f.name).toMatch(/; indexed: /);
    expect(report.figures.find((f) => f.name.startsWith('import CPU time'))?.note).toMatch(
      /decode [\d.]+, resize [\d.]+, thumbnail encode [\d.]+, quality measures [\d.]+, store thumbnail [\d.]+ CPU ms\/img \(\d+ of \d+ through libjpeg-turbo/,
    );
    expect(lines.length).toBeGreaterThan(0);
  });
});
