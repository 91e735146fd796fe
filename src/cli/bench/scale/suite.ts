import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createContext } from '../../../core/context.js';
import { tsxLoaderUrl } from '../../../core/train/tsx-paths.js';
import { dispatch } from '../../../core/transport/dispatch.js';
import { median, type BenchFigure, type BenchOptions, type BenchSuite } from '../index.js';
import { writeTinyLibrary } from './tiny-png.js';

const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'import-child.ts');
const round = (x: number, places = 1) => Math.round(x * 10 ** places) / 10 ** places;

interface ChildReport {
  imported: number;
  errors: number;
  duplicates: number;
  seconds: number;
  maxRssKiB: number;
  baselineRssKiB: number;
  peakHeapMiB: number;
}

function importInChild(folder: string, dataDir: string, signal: AbortSignal): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', tsxLoaderUrl(), child, folder, dataDir], { stdio: ['ignore', 'pipe', 'inherit'], signal });
    let out = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as ChildReport) : reject(new Error(`the import process exited with ${code}`))));
  });
}

async function timeCalls(reps: number, call: () => Promise<unknown>): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await call();
    ms.push(performance.now() - t0);
  }
  return ms;
}

export const scaleSuite: BenchSuite = {
  name: 'scale',
  summary: 'import of a generated 100k-image library (8×8 PNGs) in its own process: time, peak RSS; then queries on it',
  async run(opts: BenchOptions): Promise<BenchFigure[]> {
    // SMALLSET_SCALE_IMAGES sets another size (at least 1000), e.g. for a first look on a busy machine.
    const asked = Number(process.env.SMALLSET_SCALE_IMAGES);
    const count = opts.quick ? 500 : Number.isInteger(asked) && asked >= 1000 ? asked : 100_000;
    const reps = opts.quick ? 3 : 15;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'smallset-bench-scale-'));
    const folder = path.join(dir, 'images');
    const dataDir = path.join(dir, 'data');
    const figures: BenchFigure[] = [];
    try {
      opts.log(`writing ${count.toLocaleString('en')} distinct 8×8 PNGs in 10 class folders…`);
      writeTinyLibrary(folder, count);
      opts.log('importing them in a separate process…');
      const r = await importInChild(folder, dataDir, opts.signal);
      if (r.imported !== count) throw new Error(`imported ${r.imported} of ${count} (${r.errors} errors, ${r.duplicates} duplicates)`);
      const peakMiB = r.maxRssKiB / 1024;
      figures.push({
        name: `import ${count.toLocaleString('en')} tiny PNGs (walk, sha1, metadata, thumbnail, DB)`,
        value: round(count / r.seconds),
        unit: 'img/s',
        peer: null,
        ratio: null,
        note: `${round(r.seconds)} s; 0 errors, 0 duplicates`,
      });
      figures.push({
        name: `peak RSS of the importing process (${count.toLocaleString('en')} images)`,
        value: round(peakMiB),
        unit: 'MiB',
        peer: null,
        ratio: null,
        note: `${round(r.baselineRssKiB / 1024)} MiB before the import started; peak JS heap ${round(r.peakHeapMiB)} MiB; ${round(((r.maxRssKiB - r.baselineRssKiB) * 1024) / count)} bytes of RSS growth per image`,
      });

      opts.signal.throwIfAborted();
      const ctx = createContext(dataDir);
      try {
        const datasetId = ((await dispatch(ctx, 'datasets.list', {})) as { datasets: { id: number }[] }).datasets[0]!.id;
        const classes = ((await dispatch(ctx, 'classes.list', { datasetId })) as { classes: { id: number }[] }).classes;
        const queries: [string, () => Promise<unknown>][] = [
          ['datasets.list', () => dispatch(ctx, 'datasets.list', {})],
          ['classes.list', () => dispatch(ctx, 'classes.list', { datasetId })],
          ['images.query first page of 200', () => dispatch(ctx, 'images.query', { datasetId, offset: 0, limit: 200 })],
          ['images.query last page of 200', () => dispatch(ctx, 'images.query', { datasetId, offset: count - 200, limit: 200 })],
          ['images.query one class, middle page', () => dispatch(ctx, 'images.query', { datasetId, classId: classes[3]!.id, offset: Math.floor(count / 20), limit: 200 })],
          ['images.query split val', () => dispatch(ctx, 'images.query', { datasetId, split: 'val', offset: 0, limit: 200 })],
          ['images.query text search "99"', () => dispatch(ctx, 'images.query', { datasetId, text: '99', offset: 0, limit: 200 })],
        ];
        // The grid asks for the page at the scroll position: pages straight after one another from
        // the middle (scrolling) and pages at scattered offsets (dragging the scrollbar).
        const middle = Math.floor(count / 2);
        let scrollPage = 0;
        queries.push(['images.query scrolling: next page of 200 from the middle', () => dispatch(ctx, 'images.query', { datasetId, offset: middle + 200 * scrollPage++, limit: 200 })]);
        let jump = 0;
        queries.push([
          'images.query scrollbar jump: page of 200 at a scattered offset',
          () => dispatch(ctx, 'images.query', { datasetId, offset: ((jump++ * 7919 * 200) % Math.max(1, count - 200)), limit: 200 }),
        ]);
        for (const [name, call] of queries) {
          const ms = await timeCalls(reps, call);
          figures.push({
            name: `${name} on ${count.toLocaleString('en')} images`,
            value: round(median(ms), 2),
            unit: 'ms',
            peer: null,
            ratio: null,
            note: `median of ${reps} calls through dispatch; first call ${round(ms[0]!, 2)} ms, max ${round(Math.max(...ms), 2)} ms`,
          });
        }
      } finally {
        ctx.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return figures;
  },
};
