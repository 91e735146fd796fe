import { describe, expect, it } from 'vitest';
import { methodNames } from '../../src/shared/api/index.js';
import { runFuzz } from './fuzz/run-fuzz.js';

// Every method in the contract (new ones too), 9 seeded cases each (3 of each kind): junk, schema-shaped with one
// field broken, and schema-shaped. The bigger run: `node --import tsx test/reliability/fuzz/cli.ts`.
describe('API fuzzing over HTTP', () => {
  it('answers every case with 200 or a 4xx and a clear message; never a 500, a hang or a crash', { timeout: 240_000 }, async () => {
    const report = await runFuzz({ perMethod: 9, seed: 20261204 });
    expect(report.methods).toBe(methodNames.length);
    expect(report.cases).toBe(methodNames.length * 9);
    expect(report.failures).toEqual([]);
    expect(report.survived).toBe(true);
  });
});
