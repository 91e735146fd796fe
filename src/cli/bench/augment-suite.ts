import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchImages } from '../../core/augment/bench/bench-images.js';
import { measureParallel } from '../../core/augment/bench/parallel.js';
import { measureThroughput, STANDARD_CHAIN } from '../../core/augment/bench/throughput.js';
import type { OpSpec, PipelineJson } from '../../core/augment/pipeline.js';
import { median, ratio, type BenchFigure, type BenchOptions, type BenchSuite } from './index.js';
import { tfAugmentFigures } from './augment-tf-figures.js';

const PYTHON = '/usr/bin/python3';
const round = (x: number, places = 1) => Math.round(x * 10 ** places) / 10 ** places;

interface PeerRow {
  transform: string;
  impl: string;
  median: number;
  /** Where the figure comes from, for the note. */
  how?: string;
}

const RECORDED = 'recorded in ../shared/peers/results/aug.json (2026-11-22, idle machine)';
const LIVE = 'measured now by aug_bench.py on this machine, same load as ours';

function readRows(file: string, how: string): PeerRow[] {
  return (JSON.parse(readFileSync(file, 'utf8')) as { results: PeerRow[] }).results.map((r) => ({ ...r, how }));
}

/**
 * Rows of the peer's aug_bench.py: its recorded results, with the chain rows measured now when its
 * photographs are on this machine (the per-op rows would take the peer many minutes to redo).
 */
function peerRows(opts: BenchOptions, live: boolean): PeerRow[] {
  const recordedFile = path.join(opts.peersDir, 'results', 'aug.json');
  const recorded = existsSync(recordedFile) ? readRows(recordedFile, RECORDED) : [];
  const script = path.join(opts.peersDir, 'aug_bench.py');
  if (!live || opts.quick || !existsSync(PYTHON) || !existsSync(script)) return recorded;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'smallset-peer-aug-'));
  try {
    const out = path.join(tmp, 'aug.json');
    opts.log('running the peer (aug_bench.py, chain rows) with /usr/bin/python3…');
    const run = spawnSync(PYTHON, [script, '--only', 'chain', '--json', out], { cwd: opts.peersDir, encoding: 'utf8' });
    if (run.status !== 0 || !existsSync(out)) {
      opts.log(`peer did not run: ${run.stderr.trim().split('\n').at(-1) ?? `exit ${run.status}`}; using its recorded figures`);
      return recorded;
    }
    const measured = readRows(out, LIVE);
    return [...measured, ...recorded.filter((r) => !measured.some((m) => m.transform === r.transform && m.impl === r.impl))];
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function peer(rows: PeerRow[], transform: string, impl: string, name: string): { peer: { name: string; value: number } | null; how: string } {
  const row = rows.find((r) => r.transform.startsWith(transform) && r.impl.startsWith(impl));
  return row ? { peer: { name, value: round(row.median) }, how: `peer ${row.how ?? RECORDED}` } : { peer: null, how: 'no peer figure' };
}

const single = (spec: OpSpec): PipelineJson => ({ version: 1, ops: [spec] });

/** Per-op cases: ours, and the OpenCV / torchvision rows of the peer doing the same work. */
const OP_CASES: { name: string; pipeline: PipelineJson; peer?: [string, string, string] }[] = [
  { name: 'hflip', pipeline: single({ op: 'hflip', p: 1 }), peer: ['hflip', 'OpenCV', 'opencv cv2.flip'] },
  { name: 'rotate ±30 constant', pipeline: single({ op: 'rotate', fill: 'constant' }), peer: ['rotate +-30 bilinear, const fill', 'OpenCV', 'opencv warpAffine'] },
  { name: 'rotate ±30 reflect', pipeline: single({ op: 'rotate', fill: 'reflect' }), peer: ['rotate +-30 bilinear, reflect101', 'OpenCV', 'opencv warpAffine reflect101'] },
  { name: 'random_resized_crop 224', pipeline: single({ op: 'random_resized_crop' }), peer: ['random resized crop 224', 'OpenCV resize INTER_LINEAR', 'opencv resize linear'] },
  {
    name: 'colour jitter b/c/s 0.2 h 0.05',
    pipeline: { version: 1, ops: STANDARD_CHAIN.ops.slice(3, 7) },
    peer: ['color jitter', 'OpenCV', 'opencv'],
  },
  { name: 'gaussian_blur k5 σ U(0.1,2)', pipeline: single({ op: 'gaussian_blur', kernel_size: 5 }), peer: ['gaussian blur', 'OpenCV', 'opencv GaussianBlur'] },
  { name: 'gaussian_noise σ 0.05', pipeline: single({ op: 'gaussian_noise', sigma: [0.05, 0.05] }), peer: ['gaussian noise', 'OpenCV', 'opencv randn + add'] },
  { name: 'cutout (scale .02–.33)', pipeline: single({ op: 'cutout' }), peer: ['random erasing', 'torchvision', 'torchvision RandomErasing'] },
  { name: 'vflip', pipeline: single({ op: 'vflip', p: 1 }) },
  { name: 'rotate90', pipeline: single({ op: 'rotate90', k: [1, 3] }) },
  { name: 'translate', pipeline: single({ op: 'translate' }) },
  { name: 'zoom', pipeline: single({ op: 'zoom' }) },
  { name: 'shear', pipeline: single({ op: 'shear' }) },
  { name: 'crop', pipeline: single({ op: 'crop' }) },
  { name: 'perspective', pipeline: single({ op: 'perspective' }) },
  { name: 'gamma', pipeline: single({ op: 'gamma' }) },
  { name: 'grayscale', pipeline: single({ op: 'grayscale' }) },
  { name: 'equalize', pipeline: single({ op: 'equalize' }) },
  { name: 'posterize', pipeline: single({ op: 'posterize' }) },
  { name: 'solarize', pipeline: single({ op: 'solarize' }) },
  { name: 'sharpen', pipeline: single({ op: 'sharpen' }) },
  { name: 'jpeg_quality', pipeline: single({ op: 'jpeg_quality' }) },
  { name: 'salt_pepper', pipeline: single({ op: 'salt_pepper' }) },
  { name: 'randaugment n2 m9', pipeline: single({ op: 'randaugment' }) },
  { name: 'trivialaugment', pipeline: single({ op: 'trivialaugment' }) },
];

export const augmentSuite: BenchSuite = {
  name: 'augment',
  summary: 'augmentation throughput on pre-decoded 640×480 photos: the standard chain (1 thread and all cores) and each op',
  async run(opts: BenchOptions): Promise<BenchFigure[]> {
    const n = opts.quick ? 24 : 504;
    const reps = opts.quick ? 1 : 5;
    const { images, source, note: imageNote } = await benchImages(24);
    opts.log(`inputs: ${imageNote}`);
    const peers = peerRows(opts, source === 'peer');
    const figures: BenchFigure[] = [];
    const method = `median of ${reps} reps × ${n} images (${imageNote}), 1 thread, after a 24-image warm-up`;

    opts.log('standard chain, 1 thread…');
    const chain = await measureThroughput(STANDARD_CHAIN, images, n, reps, opts.signal);
    const chainRate = round(median(chain.rates));
    const spread = `reps [${chain.rates.map((r) => round(r)).join(', ')}] img/s; ${round(chain.perCpuSecond)} img per CPU second`;
    const tv = peer(peers, 'chain', 'torchvision v1 / PIL', 'torchvision-pil');
    const cv = peer(peers, 'chain', 'OpenCV', 'opencv');
    figures.push({
      name: 'chain-1thread',
      value: chainRate,
      unit: 'img/s',
      peer: tv.peer,
      ratio: ratio(chainRate, tv.peer, 'higher'),
      note: `hflip + rotate ±30 + random_resized_crop 224 + jitter b/c/s 0.2 h 0.05 + blur k5; ${method}; ${spread}; ${tv.how}; goal ≥ 150 img/s`,
    });
    figures.push({
      name: 'chain-1thread-opencv',
      value: chainRate,
      unit: 'img/s',
      peer: cv.peer,
      ratio: ratio(chainRate, cv.peer, 'higher'),
      note: `same run; ${cv.how}; aim 600 img/s`,
    });

    const threads = os.cpus().length;
    if (threads > 1) {
      opts.signal.throwIfAborted();
      opts.log(`standard chain, ${threads} worker threads…`);
      const rates: number[] = [];
      for (let r = 0; r < (opts.quick ? 1 : 3); r++) rates.push(await measureParallel(STANDARD_CHAIN, images, threads, n));
      const value = round(median(rates));
      figures.push({
        name: `chain-${threads}threads`,
        value,
        unit: 'img/s',
        peer: null,
        ratio: null,
        note: `${threads} worker threads × ${n} images each, median of ${rates.length}: [${rates.map((x) => round(x)).join(', ')}]; ${round(value / chainRate, 2)}× one thread`,
      });
    }

    for (const c of OP_CASES) {
      opts.signal.throwIfAborted();
      opts.log(`op: ${c.name}…`);
      const t = await measureThroughput(c.pipeline, images, n, opts.quick ? 1 : 3, opts.signal);
      const value = round(median(t.rates));
      const p = c.peer ? peer(peers, c.peer[0], c.peer[1], c.peer[2]) : { peer: null, how: 'no peer figure' };
      figures.push({
        name: `op ${c.name}`,
        value,
        unit: 'img/s',
        peer: p.peer,
        ratio: ratio(value, p.peer, 'higher'),
        note: `1 thread, 640×480 in; median of ${t.rates.length} × ${n}; ${round(t.perCpuSecond)} img per CPU second; ${p.how}`,
      });
    }
    figures.push(...(await tfAugmentFigures(opts, images)));
    return figures;
  },
};
