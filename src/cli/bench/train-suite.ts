import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { availableParallelism } from 'node:os';
import { measureThreadedThroughput } from '../../core/train/backend/bench/threaded-throughput.js';
import { measureTrainThroughput, type TrainThroughput } from '../../core/train/backend/bench/train-throughput.js';
import { median, ratio, type BenchFigure, type BenchOptions, type BenchSuite } from './index.js';

const SIZE = 64;
const PEER_NAME = 'PyTorch 1.13 CPU, 2 threads, NCHW, batch 32 (train_bench.py, median of run medians)';

/**
 * PyTorch's training images/s at 64×64 from the peer runs (results/train.json, train_run2.json, …,
 * written by train_bench.py): the median of each run's median, as RESULTS.md reports it.
 */
export function pytorchTrainFigure(peersDir: string, size = SIZE): { name: string; value: number } | null {
  const dir = path.join(peersDir, 'results');
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => /^train(_run\d+)?\.json$/.test(f));
  } catch {
    return null;
  }
  const medians: number[] = [];
  for (const f of files) {
    try {
      const doc = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { results?: { size: number; train_img_s: { median: number } }[] };
      const r = doc.results?.find((e) => e.size === size);
      if (r && Number.isFinite(r.train_img_s.median)) medians.push(r.train_img_s.median);
    } catch {
      // An unreadable peer file is skipped; the figure then rests on the others.
    }
  }
  return medians.length ? { name: `${PEER_NAME}, ${medians.length} runs`, value: median(medians) } : null;
}

function figure(name: string, r: TrainThroughput, peer: { name: string; value: number } | null): BenchFigure {
  const load = r.otherLoad === null ? 'unknown' : r.otherLoad.toFixed(2);
  return {
    name,
    value: Math.round(r.imgPerSec.median * 10) / 10,
    unit: 'img/s',
    peer,
    ratio: ratio(r.imgPerSec.median, peer, 'higher'),
    note:
      `${r.msPerBatch.length} timed batches of ${r.batchSize}, min ${r.imgPerSec.min.toFixed(1)}, max ${r.imgPerSec.max.toFixed(1)} img/s; ` +
      `${r.imgPerCpuSecond.toFixed(1)} img per own CPU second; other load ${load} cores`,
  };
}

async function run(opts: BenchOptions): Promise<BenchFigure[]> {
  // Quick mode only proves the suite works: tiny images, two batches.
  const size = opts.quick ? 16 : SIZE;
  const peer = pytorchTrainFigure(opts.peersDir, size);
  const timed = (n: number) => (opts.quick ? 2 : n);
  const plans = [
    { backend: 'tensorflow', batchNorm: false, batches: timed(20), warmupBatches: 3, maxSeconds: 60 },
    { backend: 'tensorflow', batchNorm: true, batches: timed(20), warmupBatches: 3, maxSeconds: 60 },
    { backend: 'wasm', batchNorm: false, batches: timed(20), warmupBatches: 3, maxSeconds: 60 },
    { backend: 'wasm', batchNorm: true, batches: timed(20), warmupBatches: 3, maxSeconds: 60 },
    // The pure-JS backend takes seconds a batch: a short run.
    { backend: 'cpu', batchNorm: false, batches: timed(3), warmupBatches: 1, maxSeconds: 30 },
  ] as const;
  const figures: BenchFigure[] = [];
  for (const p of plans) {
    opts.signal.throwIfAborted();
    const r = await measureTrainThroughput({ ...p, size, signal: opts.signal });
    if (!r) continue;
    const threads = r.threads > 1 ? `-${r.threads}t` : '';
    const f = figure(`${p.backend}${threads}-cnn${size}${p.batchNorm ? '-bn' : ''}`, r, peer);
    figures.push(f);
    report(f);
  }
  // The wasm thread count is fixed per process: the threaded build is measured in a child process.
  const threads = Math.min(availableParallelism(), 4);
  if (threads > 1 && !process.env.SMALLSET_WASM_THREADS && figures.some((f) => f.name.startsWith('wasm-'))) {
    opts.signal.throwIfAborted();
    const results = await measureThreadedThroughput({ threads, size, batches: timed(20), warmupBatches: 3, signal: opts.signal });
    for (const r of results) {
      if (!r || r.threads < 2) continue;
      const f = figure(`wasm-${r.threads}t-cnn${size}${r.batchNorm ? '-bn' : ''}`, r, peer);
      figures.push(f);
      report(f);
    }
  }
  return figures;

  function report(f: BenchFigure): void {
    opts.log(`${f.name}: ${f.value} ${f.unit}${f.ratio === null ? '' : ` = ${f.ratio}× PyTorch (${peer?.value.toFixed(0)} img/s)`} — ${f.note}`);
  }
}

/**
 * Training throughput of the reference CNN (64×64×3, batch 32, Adam 1e-3) with and without batch
 * norm on every backend available here, beside PyTorch CPU measured on the same machine
 * (../shared/peers/results/train*.json). The wasm backend is measured single-threaded (the default)
 * and, in a child process, with one XNNPACK thread per core (up to 4; SMALLSET_WASM_THREADS opt-in).
 */
export const trainSuite: BenchSuite = {
  name: 'train',
  summary: 'reference CNN training img/s (64×64×3, batch 32, Adam) per TensorFlow.js backend, beside PyTorch CPU',
  run,
};
