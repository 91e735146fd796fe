import { initBackend, wasmThreadCount, type BackendName } from '../init-backend.js';
import { buildReferenceCnn } from '../reference-cnn.js';
import { startLoadMonitor } from './load-monitor.js';

export interface TrainThroughputOptions {
  backend: BackendName;
  size: number;
  batchNorm: boolean;
  batchSize?: number;
  /** Untimed batches first: V8 tiers wasm and JS code up over the first few. */
  warmupBatches?: number;
  batches: number;
  /** Stop timing early once this much wall time has gone by (slow backends). */
  maxSeconds?: number;
  signal?: AbortSignal;
}

export interface TrainThroughput {
  backend: BackendName;
  size: number;
  batchNorm: boolean;
  batchSize: number;
  /** Threads of the wasm backend's XNNPACK pool (1 elsewhere). */
  threads: number;
  msPerBatch: number[];
  /** Images per second from each timed batch: median, min, max. */
  imgPerSec: { median: number; min: number; max: number };
  /** Images per second of this process's own CPU time: less sensitive to other load than wall time. */
  imgPerCpuSecond: number;
  /** Cores kept busy by other processes while timing (null off Linux). */
  otherLoad: number | null;
  finalLoss: number;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 ? (s[(n - 1) / 2] as number) : ((s[n / 2 - 1] as number) + (s[n / 2] as number)) / 2;
}

/**
 * Trains the reference CNN on random data (as ../shared/peers/train_bench.py does) and times each
 * `trainOnBatch`, loss awaited. Returns null when the requested backend is not available here.
 */
export async function measureTrainThroughput(opts: TrainThroughputOptions): Promise<TrainThroughput | null> {
  const { size, batchNorm, batches, signal } = opts;
  const batchSize = opts.batchSize ?? 32;
  const warmup = opts.warmupBatches ?? 3;
  let active;
  try {
    active = await initBackend({ prefer: opts.backend });
  } catch {
    return null;
  }
  if (active.name !== opts.backend) return null;
  const { tf } = active;
  const model = buildReferenceCnn(tf, { size, batchNorm });
  // Data is made on the active backend: tensors moved between backends have read back garbage.
  const data = Array.from({ length: 4 }, (_, i) => ({
    x: tf.randomNormal([batchSize, size, size, 3], 0, 1, 'float32', 1000 + i),
    y: tf.tidy(() => tf.oneHot(tf.randomUniform([batchSize], 0, 5, 'int32', 2000 + i), 5).toFloat()),
  }));
  const step = async (i: number): Promise<number> => {
    const b = data[i % data.length] as (typeof data)[number];
    return (await model.trainOnBatch(b.x, b.y)) as number;
  };
  try {
    for (let i = 0; i < warmup; i++) {
      signal?.throwIfAborted();
      await step(i);
    }
    const msPerBatch: number[] = [];
    let finalLoss = NaN;
    const stop = startLoadMonitor();
    const deadline = performance.now() + (opts.maxSeconds ?? Infinity) * 1000;
    for (let i = 0; i < batches && (i === 0 || performance.now() < deadline); i++) {
      signal?.throwIfAborted();
      const t0 = performance.now();
      finalLoss = await step(i);
      msPerBatch.push(performance.now() - t0);
    }
    const load = stop();
    const rates = msPerBatch.map((ms) => (batchSize * 1000) / ms);
    return {
      backend: active.name,
      size,
      batchNorm,
      batchSize,
      threads: active.name === 'wasm' ? await wasmThreadCount() : 1,
      msPerBatch,
      imgPerSec: { median: median(rates), min: Math.min(...rates), max: Math.max(...rates) },
      imgPerCpuSecond: (batchSize * msPerBatch.length) / load.ownCpuSeconds,
      otherLoad: load.otherCores,
      finalLoss,
    };
  } finally {
    for (const b of data) tf.dispose([b.x, b.y]);
    model.dispose();
  }
}
