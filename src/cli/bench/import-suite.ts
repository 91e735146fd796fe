import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writePhotoLikeFolder } from '../../core/library/bench/photo-like.js';
import { measureImport } from '../../core/library/bench/import-throughput.js';
import { loadAverage, measureImportStages } from '../../core/library/bench/import-stages.js';
import { measureQueries, planUsesIndexes } from '../../core/library/bench/query-latency.js';
import { median, ratio, type BenchFigure, type BenchOptions, type BenchSuite } from './index.js';

const PYTHON = '/usr/bin/python3';
const peerScript = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../scripts/peers/import_peer.py');

const round = (x: number, places = 1) => Math.round(x * 10 ** places) / 10 ** places;

/** Pillow doing the same per-file work on the same folder, live, since ../shared/peers has no import figure. */
function pillowPeer(folder: string, reps: number, log: (l: string) => void): { name: string; value: number } | null {
  if (!existsSync(PYTHON) || !existsSync(peerScript)) return null;
  const run = spawnSync(PYTHON, [peerScript, folder, String(reps), String(os.cpus().length)], { encoding: 'utf8' });
  if (run.status !== 0) {
    log(`peer (Pillow) did not run: ${run.stderr.trim().split('\n').at(-1) ?? `exit ${run.status}`}`);
    return null;
  }
  const out = JSON.parse(run.stdout) as { img_per_sec: number[]; processes: number; pillow: string };
  return { name: `Pillow ${out.pillow}, ${out.processes} processes: sha1 + header + 256 px WebP thumbnail (median of ${out.img_per_sec.length})`, value: round(median(out.img_per_sec)) };
}

export const importSuite: BenchSuite = {
  name: 'import',
  summary: 'import of ~500×375 photo-like JPEGs (hash, metadata, thumbnail) and paged queries on a 100k-image library',
  async run(opts: BenchOptions): Promise<BenchFigure[]> {
    const count = opts.quick ? 24 : 600;
    const reps = opts.quick ? 1 : 3;
    const libraryRows = opts.quick ? 5_000 : 100_000;
    const calls = opts.quick ? 5 : 30;
    const folder = mkdtempSync(path.join(os.tmpdir(), 'smallset-bench-photos-'));
    const figures: BenchFigure[] = [];
    try {
      opts.log(`writing ${count} photo-like 500×375 JPEGs…`);
      await writePhotoLikeFolder(folder, count);
      opts.log(`importing them ${reps}× (fresh data folder each time)…`);
      const imported = await measureImport(folder, reps, opts.signal);
      const value = round(median(imported.imgPerSec));
      const cpuMs = round(median(imported.cpuMsPerImage), 2);
      const cores = os.cpus().length;
      const mainMs = imported.mainThreadMsPerImage.every((x) => x !== null) ? round(median(imported.mainThreadMsPerImage as number[]), 2) : null;
      const mainNote = mainMs === null ? '' : `, of which main thread ${mainMs}`;
      opts.log(`import: ${value} img/s, ${cpuMs} CPU ms/img (all threads${mainNote}), load ${imported.load.join(', ')} on ${cores} cores`);
      opts.signal.throwIfAborted();
      const stages = await measureImportStages(folder, opts.quick ? 12 : 200);
      const stageNote =
        `read+sha1 ${round(stages.readAndHash, 2)}, header ${round(stages.metadata, 2)}, decode ${round(stages.decode, 2)}, resize ${round(stages.resize, 2)}, ` +
        `thumbnail encode ${round(stages.thumbnailEncode, 2)}, quality measures ${round(stages.qualityMeasures, 2)}, store thumbnail ${round(stages.storeThumbnail, 2)} CPU ms/img ` +
        `(${stages.fastPath} of ${stages.images} through libjpeg-turbo + resize.c)`;
      opts.log(`steps, one image at a time (${stages.images} images): ${stageNote}; load ${loadAverage()}`);
      opts.log('running the Pillow peer…');
      const peer = opts.signal.aborted ? null : pillowPeer(folder, reps, opts.log);
      figures.push({
        name: `import ${imported.images} JPEGs 500×375 (sha1 + metadata + 256 px JPEG thumbnail + quality measures + DB)`,
        value,
        unit: 'img/s',
        peer,
        ratio: ratio(value, peer, 'higher'),
        note: `median of ${reps}: [${imported.imgPerSec.map((x) => round(x)).join(', ')}] img/s; load average ${imported.load.join(', ')} on ${cores} cores; goal ≥ 250 img/s on 2 cores`,
      });
      figures.push({
        name: 'import CPU time per image (this process, all threads)',
        value: cpuMs,
        unit: 'ms',
        peer: null,
        ratio: null,
        note: `median of ${reps}: [${imported.cpuMsPerImage.map((x) => round(x, 2)).join(', ')}]${mainNote} (the main thread alone caps the import at ${mainMs ? round(1000 / mainMs) : '?'} img/s); ${cores} cores busy with nothing else give at most ${round((1000 * cores) / cpuMs)} img/s; steps: ${stageNote}`,
      });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }

    opts.signal.throwIfAborted();
    opts.log(`building a ${libraryRows.toLocaleString('en')}-image library and timing images.query…`);
    const latencies = await measureQueries(libraryRows, calls, opts.signal);
    const cold = latencies.flatMap((l) => l.coldMs);
    const warm = latencies.flatMap((l) => l.warmMs);
    const worst = latencies.reduce((a, b) => (median(b.coldMs) > median(a.coldMs) ? b : a));
    figures.push({
      name: `images.query page of 200 on ${libraryRows.toLocaleString('en')} images, first page of a filter`,
      value: round(median(cold), 2),
      unit: 'ms',
      peer: null,
      ratio: null,
      note: `median of ${cold.length} calls over ${latencies.length} filters, each right after a write (nothing cached), through dispatch; worst filter "${worst.filter}" ${round(median(worst.coldMs), 2)} ms; goal < 20 ms`,
    });
    figures.push({
      name: `images.query page of 200 on ${libraryRows.toLocaleString('en')} images, scrolling on`,
      value: round(median(warm), 2),
      unit: 'ms',
      peer: null,
      ratio: null,
      note: `median of ${warm.length} calls at offsets from the first page to the last, count or id list reused; goal < 20 ms`,
    });
    for (const l of latencies) {
      figures.push({
        name: `images.query filter "${l.filter}", first page`,
        value: round(median(l.coldMs), 2),
        unit: 'ms',
        peer: null,
        ratio: null,
        note: `${l.matched.toLocaleString('en')} matches; max ${round(Math.max(...l.coldMs), 2)} ms cold; scrolling median ${round(median(l.warmMs), 2)} ms; ${planUsesIndexes(l.plan) ? 'indexed' : 'NOT INDEXED'}: ${l.plan.join(' / ')}`,
      });
    }
    return figures;
  },
};
