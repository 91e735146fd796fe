// Imports one folder into a fresh data folder in its own process and reports its peak memory:
// node --import <tsx> import-child.ts <folder> <data dir>
// Progress (phase, count, RSS) goes to stderr every 15 s so a long run can be followed.
import { createContext } from '../../../core/context.js';
import { importFolder } from '../../../core/library/import-folder.js';

const [folder, dataDir] = process.argv.slice(2);
if (!folder || !dataDir) throw new Error('usage: import-child <folder> <data dir>');
const baseline = process.resourceUsage().maxRSS;
const ctx = createContext(dataDir);
let peakHeap = 0;
let lastProgress = '';
ctx.events.onAny((event, payload) => {
  if (event !== 'job.progress') return;
  const p = payload as { phase: string; done: number; total: number | null };
  lastProgress = `${p.phase} ${p.done}${p.total === null ? '' : `/${p.total}`}`;
});
const started = performance.now();
const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 100);
const reporter = setInterval(() => {
  const s = Math.round((performance.now() - started) / 1000);
  process.stderr.write(`  ${s} s: ${lastProgress}; RSS ${Math.round(process.memoryUsage().rss / 1024 ** 2)} MiB\n`);
}, 15_000);
const result = await importFolder(ctx, { path: folder, name: 'scale' });
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
clearInterval(reporter);
ctx.close();
process.stdout.write(
  `${JSON.stringify({ imported: result.imported, errors: result.errors.length, duplicates: result.duplicates, seconds, maxRssKiB: process.resourceUsage().maxRSS, baselineRssKiB: baseline, peakHeapMiB: peakHeap / 1024 ** 2 })}\n`,
);
