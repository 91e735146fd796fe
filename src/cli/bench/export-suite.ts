import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exportDatasetInput } from '../../shared/api/export.js';
import { PEER_IMAGE_DIR } from '../../core/augment/bench/bench-images.js';
import { STANDARD_CHAIN } from '../../core/augment/bench/throughput.js';
import { createContext, type AppContext } from '../../core/context.js';
import { measureExportStages } from '../../core/export/bench/export-stages.js';
import { exportDataset } from '../../core/export/export-dataset.js';
import { photoLikeJpeg } from '../../core/library/bench/photo-like.js';
import { importFolder } from '../../core/library/import-folder.js';
import { median, ratio, type BenchFigure, type BenchOptions, type BenchSuite } from './index.js';

const PYTHON = '/usr/bin/python3';
const round = (x: number, places = 1) => Math.round(x * 10 ** places) / 10 ** places;

interface PeerRow {
  transform: string;
  impl: string;
  median: number;
}

/** The peer's export rows (decode 640×480 JPEG + resize 224 + encode q90, 1 core): rerun when its photographs are here, else as recorded. */
function peerExport(opts: BenchOptions): { rows: PeerRow[]; how: string } {
  const script = path.join(opts.peersDir, 'aug_bench.py');
  const hasImages = existsSync(PEER_IMAGE_DIR) && readdirSync(PEER_IMAGE_DIR).some((f) => f.endsWith('.jpg'));
  if (!opts.quick && hasImages && existsSync(PYTHON) && existsSync(script)) {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'smallset-peer-export-'));
    try {
      const out = path.join(tmp, 'export.json');
      opts.log('running the peer (aug_bench.py, export rows) with /usr/bin/python3…');
      const run = spawnSync(PYTHON, [script, '--only', 'export', '--json', out], { cwd: opts.peersDir, encoding: 'utf8' });
      if (run.status === 0 && existsSync(out)) {
        return { rows: (JSON.parse(readFileSync(out, 'utf8')) as { results: PeerRow[] }).results, how: 'measured now by aug_bench.py' };
      }
      opts.log(`peer did not run (exit ${run.status}); using its recorded figures`);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  const recorded = path.join(opts.peersDir, 'results', 'aug.json');
  if (existsSync(recorded)) {
    const rows = (JSON.parse(readFileSync(recorded, 'utf8')) as { results: PeerRow[] }).results;
    return { rows, how: 'recorded in ../shared/peers/results/aug.json (same machine)' };
  }
  return { rows: [], how: 'no peer figures found' };
}

/** A library with `count` 640×480 JPEG originals in two classes: the peer's photographs when present, else photo-like ones. */
async function benchLibrary(dir: string, count: number): Promise<{ ctx: AppContext; datasetId: number; note: string }> {
  const root = path.join(dir, 'photos');
  const peerFiles = existsSync(PEER_IMAGE_DIR) ? readdirSync(PEER_IMAGE_DIR).filter((f) => f.endsWith('.jpg')).sort() : [];
  for (let i = 0; i < count; i++) {
    const file = path.join(root, i % 2 ? 'b' : 'a', `photo${i}.jpg`);
    mkdirSync(path.dirname(file), { recursive: true });
    // The peer's photographs first, then photo-like ones: repeating a file would make duplicates the import skips.
    const peer = peerFiles[i];
    if (peer) copyFileSync(path.join(PEER_IMAGE_DIR, peer), file);
    else writeFileSync(file, await photoLikeJpeg(i + 1, 640, 480, 90));
  }
  const ctx = createContext(path.join(dir, 'data'));
  const { datasetId } = await importFolder(ctx, { path: root, name: 'bench' });
  const note = peerFiles.length ? `${Math.min(count, peerFiles.length)} peer photographs + ${Math.max(0, count - peerFiles.length)} photo-like 640×480 JPEGs` : `${count} photo-like 640×480 JPEGs`;
  return { ctx, datasetId, note };
}

/** Output images per second of whole exports (threads start, manifests and card included). */
async function measure(
  ctx: AppContext,
  datasetId: number,
  dir: string,
  copies: number,
  reps: number,
  signal: AbortSignal,
): Promise<{ rates: number[]; files: number; perCpuSecond: number }> {
  const rates: number[] = [];
  let files = 0;
  let cpuSeconds = 0;
  for (let r = 0; r < reps; r++) {
    signal.throwIfAborted();
    const out = path.join(dir, `out-${copies}-${r}`);
    const cpu = process.cpuUsage();
    const result = await exportDataset(
      ctx,
      exportDatasetInput.parse({
        datasetId,
        pipeline: STANDARD_CHAIN,
        copies,
        originals: false,
        augmentSplits: ['train', 'val', 'test'],
        size: 224,
        format: 'jpeg',
        quality: 90,
        seed: r,
        out,
      }),
    );
    const used = process.cpuUsage(cpu);
    cpuSeconds += (used.user + used.system) / 1e6;
    rates.push(result.files / result.seconds);
    files = result.files;
    rmSync(out, { recursive: true, force: true });
  }
  // Every thread of this process counts, so this hardly moves with other programs' load.
  return { rates, files, perCpuSecond: (files * reps) / cpuSeconds };
}

export const exportSuite: BenchSuite = {
  name: 'export',
  summary: 'dataset export: decode 640×480 JPEG + standard augmentation chain + encode 224 px JPEG q90, all cores, whole exports',
  async run(opts: BenchOptions): Promise<BenchFigure[]> {
    const count = opts.quick ? 16 : 240;
    const reps = opts.quick ? 1 : 3;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'smallset-bench-export-'));
    const { ctx, datasetId, note } = await benchLibrary(dir, count);
    try {
      const peers = peerExport(opts);
      const pil = peers.rows.find((r) => r.transform.startsWith('export') && r.impl.startsWith('PIL (BILINEAR'));
      const peer = pil ? { name: 'PIL decode+resize+encode (1 core)', value: round(pil.median) } : null;
      const figures: BenchFigure[] = [];
      for (const copies of [1, 4]) {
        opts.log(`export, ${copies} cop${copies === 1 ? 'y' : 'ies'} per image of ${count} originals…`);
        const m = await measure(ctx, datasetId, dir, copies, reps, opts.signal);
        const value = round(median(m.rates));
        figures.push({
          name: `export 224 jpeg, standard chain, ${copies} cop${copies === 1 ? 'y' : 'ies'}/image`,
          value,
          unit: 'img/s',
          peer,
          ratio: ratio(value, peer, 'higher'),
          note:
            `${m.files} files per export from ${note}; median of ${reps} whole exports [${m.rates.map((r) => round(r)).join(', ')}] img/s, ` +
            `${round(m.perCpuSecond)} img per CPU second of this process, ` +
            `${os.availableParallelism()} cores; chain = hflip, rotate ±30, random_resized_crop 224, jitter b/c/s 0.2 h 0.05, blur k5. ` +
            `The peer only decodes, resizes and encodes on 1 core, with no augmentation (${peers.how}); goal ≥ 150 img/s`,
        });
      }
      opts.signal.throwIfAborted();
      const root = path.join(dir, 'photos');
      const sources = ['a', 'b'].flatMap((c) => readdirSync(path.join(root, c)).map((f) => path.join(root, c, f))).sort();
      const sample = sources.slice(0, opts.quick ? 8 : 60);
      const stages = await measureExportStages(sample, STANDARD_CHAIN, 224, 90);
      const total = stages.reduce((sum, s) => sum + s.cpuMs, 0);
      const steps = stages.map((s) => `${s.name} ${round(s.cpuMs, 2)}`).join(', ');
      opts.log(`steps of one copy, one image at a time (${sample.length} images): ${steps} CPU ms/img`);
      figures.push({
        name: 'export CPU time per image, one copy, step by step on one thread',
        value: round(total, 2),
        unit: 'ms',
        peer: null,
        ratio: null,
        note: `${sample.length} originals, one at a time: ${steps} CPU ms/img (whole exports add thread start, manifests and messages)`,
      });
      return figures;
    } finally {
      ctx.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
