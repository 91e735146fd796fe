// Writes test/file-durations.json (seconds per vitest file, slowest first) from a JSON report:
//   npx vitest run --reporter=json --outputFile=/tmp/vitest.json && node scripts/test-durations.mjs /tmp/vitest.json
// test/slowest-first-sequencer.ts reads it to start the slowest files first on a clean clone.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const report = process.argv[2];
if (!report) {
  console.error('usage: node scripts/test-durations.mjs <vitest --reporter=json output>');
  process.exit(2);
}
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { testResults } = JSON.parse(readFileSync(report, 'utf8'));
const seconds = testResults
  .map((r) => [path.relative(repo, r.name).split(path.sep).join('/'), Math.round((r.endTime - r.startTime) / 100) / 10])
  .sort((a, b) => b[1] - a[1]);
writeFileSync(path.join(repo, 'test', 'file-durations.json'), `${JSON.stringify(Object.fromEntries(seconds), null, 2)}\n`);
console.log(`test/file-durations.json: ${seconds.length} files, ${seconds.reduce((s, [, t]) => s + t, 0).toFixed(0)} s in all`);
