import { defineConfig } from 'vitest/config';
import { SlowestFirstSequencer } from './test/slowest-first-sequencer.js';

/**
 * In-process engine tests that leave no global state behind (no TensorFlow.js backend choice, no
 * environment variables, no process listeners, no child processes of ours): they share a worker
 * process instead of each starting a fresh one and importing the engine again (~1 s of CPU per
 * file). Anything that picks a backend, spawns workers or the CLI stays isolated.
 */
const sharedWorker = [
  'test/core/db/**/*.test.ts',
  'test/renderer/**/*.test.ts',
  'test/core/services/**/*.test.ts',
  // tf-parity and train-hook choose a TensorFlow.js backend; preview times itself and spawns the CLI.
  'test/core/augment/!(tf-parity|train-hook|preview).test.ts',
  'test/core/compare/{arms,pairing,results,run-config,stats,verdict}.test.ts',
  'test/core/compare/report/**/*.test.ts',
];
const excluded = ['test/e2e/**', 'node_modules/**'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
    // A clean clone has no timings cached: start the files known to be slow first (see the file).
    sequence: { sequencer: SlowestFirstSequencer },
    projects: [
      { extends: true, test: { name: 'shared', include: sharedWorker, exclude: excluded, isolate: false } },
      { extends: true, test: { name: 'isolated', include: ['test/**/*.test.ts'], exclude: [...excluded, ...sharedWorker] } },
    ],
  },
});
