// Imports one folder into a fresh data folder in its own process and reports its peak memory:
// node --import <tsx> import-child.ts <folder> <data dir>
import { createContext } from '../../../core/context.js';
import { importFolder } from '../../../core/library/import-folder.js';

const [folder, dataDir] = process.argv.slice(2);
if (!folder || !dataDir) throw new Error('usage: import-child <folder> <data dir>');
const baseline = process.resourceUsage().maxRSS;
const ctx = createContext(dataDir);
let peakHeap = 0;
const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 100);
const started = performance.now();
const result = await importFolder(ctx, { path: folder, name: 'scale' });
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
ctx.close();
process.stdout.write(
  `${JSON.stringify({ imported: result.imported, errors: result.errors.length, duplicates: result.duplicates, seconds, maxRssKiB: process.resourceUsage().maxRSS, baselineRssKiB: baseline, peakHeapMiB: peakHeap / 1024 ** 2 })}\n`,
);
