import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureTrainThroughput, type TrainThroughput } from '../../core/train/backend/bench/train-throughput.js';

export interface TrainFigure {
  name: string;
  value: number;
  unit: string;
  peer: { name: string; value: number } | null;
  /** ours ÷ peer; higher is better for us. */
  ratio: number | null;
  note: string;
}

export interface TrainSuiteOptions {
  signal?: AbortSignal;
  /** One line per finished measurement, for a human watching. */
  log?: (line: string) => void;
  /** Directory of the peer measurements (default: ../shared/peers beside the checkout). */
  peersDir?: string;
}

const SIZE = 64;
const PEER_NAME = 'PyTorch 1.13 CPU, 2 threads, NCHW, batch 32 (median of run medians)';

function defaultPeersDir(): string {
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
  return process.env.SMALLSET_PEERS_DIR ?? path.resolve(repo, '../shared/peers');
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? (s[(n - 1) / 2] as number) : ((s[n / 2 - 1] as number) + (s[n / 2] as number)) / 2;
}

/**
 * PyTorch's training images/s at 64×64 from the peer runs (results/train.json, train_run2.json, …,
 * written by train_bench.py): the median of each run's median, as RESULTS.md reports it.
 */
export function pytorchTrainFigure(peersDir = defaultPeersDir()): { name: string; value: number } | null {
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
      const r = doc.results?.find((e) => e.size === SIZE);
      if (r && Number.isFinite(r.train_img_s.median)) medians.push(r.train_img_s.median);
    } catch {
      // An unreadable peer file is skipped; the figure then rests on the others.
    }
  }
  return medians.length ? { name: `${PEER_NAME}, ${medians.length} runs`, value: median(medians) } : null;
}

function figure(name: string, r: TrainThroughput, peer: { name: string; value: number } | null): TrainFigure {
  const load = r.otherLoad === null ? 'unknown' : r.otherLoad.toFixed(2);
  return {
    name,
    value: Math.round(r.imgPerSec.median * 10) / 10,
    unit: 'img/s',
    peer,
    ratio: peer ? Math.round((r.imgPerSec.median / peer.value) * 1000) / 1000 : null,
    note:
      `${r.msPerBatch.length} timed batches of ${r.batchSize}, min ${r.imgPerSec.min.toFixed(1)}, max ${r.imgPerSec.max.toFixed(1)} img/s; ` +
      `${r.imgPerCpuSecond.toFixed(1)} img per own CPU second; other load ${load} cores`,
  };
}

/**
 * Training throughput of the reference CNN (64×64×3, batch 32, Adam 1e-3) with and without batch
 * norm on every backend available here, beside PyTorch CPU on the same machine.
 */
export async function runTrainSuite(opts: TrainSuiteOptions = {}): Promise<TrainFigure[]> {
  const peer = pytorchTrainFigure(opts.peersDir);
  const plans = [
    { backend: 'tensorflow', batchNorm: false, batches: 20, warmupBatches: 3, maxSeconds: 60 },
    { backend: 'tensorflow', batchNorm: true, batches: 20, warmupBatches: 3, maxSeconds: 60 },
    { backend: 'wasm', batchNorm: false, batches: 20, warmupBatches: 3, maxSeconds: 60 },
    { backend: 'wasm', batchNorm: true, batches: 20, warmupBatches: 3, maxSeconds: 60 },
    // The pure-JS backend takes seconds a batch: a short run.
    { backend: 'cpu', batchNorm: false, batches: 3, warmupBatches: 1, maxSeconds: 30 },
  ] as const;
  const figures: TrainFigure[] = [];
  for (const p of plans) {
    opts.signal?.throwIfAborted();
    const r = await measureTrainThroughput({ ...p, size: SIZE, ...(opts.signal ? { signal: opts.signal } : {}) });
    if (!r) continue;
    const threads = r.threads > 1 ? `-${r.threads}t` : '';
    const f = figure(`${p.backend}${threads}-cnn${SIZE}${p.batchNorm ? '-bn' : ''}`, r, peer);
    figures.push(f);
    opts.log?.(`${f.name}: ${f.value} ${f.unit}${f.ratio === null ? '' : ` = ${f.ratio}× PyTorch (${peer?.value.toFixed(0)} img/s)`} — ${f.note}`);
  }
  return figures;
}
