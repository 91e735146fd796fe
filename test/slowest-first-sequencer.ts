import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Runs the slowest test files first so both workers stay busy until the end: a 45 s file started
 * last keeps one worker running alone for 45 s. Vitest orders by the durations it cached on this
 * machine, but a clean clone (CI) has no cache and falls back to file size, which says little here
 * (a short file that spawns the CLI a dozen times is among the slowest). So durations come from
 * vitest's cache when it has them, else from test/file-durations.json (seconds per file, measured
 * on a full run; refresh it with `node scripts/test-durations.mjs <vitest json report>`).
 * Files in neither run first, as vitest itself does with files it has not timed.
 */
const recorded = JSON.parse(readFileSync(path.join(import.meta.dirname, 'file-durations.json'), 'utf8')) as Record<string, number>;

export class SlowestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const estimate = (spec: TestSpecification): number => {
      const rel = path.relative(root, spec.moduleId).split(path.sep).join('/');
      const cached = this.ctx.cache.getFileTestResults(`${spec.project.name}:${rel}`);
      if (cached?.failed) return Number.POSITIVE_INFINITY; // failed last time: rerun it first, as vitest does
      if (cached) return cached.duration / 1000;
      return recorded[rel] ?? Number.MAX_VALUE;
    };
    // Files that share a worker (isolate: false) go last and together: vitest hands a worker's
    // process on only to the next file in the queue that may share it. Being short, they fill the tail.
    const ranked = files.map((spec) => ({ spec, shared: spec.project.config.isolate === false, seconds: estimate(spec) }));
    ranked.sort((a, b) => Number(a.shared) - Number(b.shared) || b.seconds - a.seconds);
    return ranked.map((r) => r.spec);
  }
}
