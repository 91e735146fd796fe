import sharp from 'sharp';
import type { RawImage } from '../op.js';
import { applyOps } from '../apply.js';
import { parsePipeline, type Pipeline, type PipelineJson } from '../pipeline.js';
import { sampleRng } from '../rng.js';
import { sampleOps } from '../sample.js';

/** The peer's chain (../shared/peers/aug_bench.py): flip, rotate ±30 constant fill, RRC 224, jitter, blur k5. */
export const STANDARD_CHAIN: PipelineJson = {
  version: 1,
  ops: [
    { op: 'hflip', p: 1 },
    { op: 'rotate', degrees: [-30, 30], fill: 'constant' },
    { op: 'random_resized_crop', width: 224, height: 224 },
    { op: 'brightness', factor: [0.8, 1.2] },
    { op: 'contrast', factor: [0.8, 1.2] },
    { op: 'saturation', factor: [0.8, 1.2] },
    { op: 'hue', shift: [-0.05, 0.05] },
    { op: 'gaussian_blur', sigma: [0.1, 2], kernel_size: 5 },
  ],
};

export interface Throughput {
  /** Images per second of each repetition. */
  readonly rates: number[];
  /** Images per CPU second over all repetitions (what a busy machine distorts least). */
  readonly perCpuSecond: number;
}

/** Samples and applies `pipeline` to inputs `first`…`first + n − 1` cycled from `images` (image id = index). */
export async function augmentMany(pipeline: Pipeline, images: readonly RawImage[], first: number, n: number, copy: number): Promise<void> {
  for (let i = first; i < first + n; i++) {
    const image = images[i % images.length]!;
    await applyOps(image, sampleOps(pipeline, sampleRng(0, i, copy), image));
  }
}

/**
 * Images per second of `pipeline` on `n` inputs cycled from `images`, after a 24-image warm-up,
 * `reps` times. Single thread: the ops are synchronous JavaScript except jpeg_quality.
 */
export async function measureThroughput(pipelineJson: PipelineJson, images: readonly RawImage[], n: number, reps: number, signal?: AbortSignal): Promise<Throughput> {
  const pipeline = parsePipeline(pipelineJson);
  // One libvips thread for the ops that use sharp (jpeg_quality), so "1 thread" means one core.
  const concurrency = sharp.concurrency();
  sharp.concurrency(1);
  try {
    await augmentMany(pipeline, images, 0, Math.min(24, n), 0);
    const rates: number[] = [];
    const cpu0 = process.cpuUsage();
    let total = 0;
    for (let r = 0; r < reps; r++) {
      signal?.throwIfAborted();
      const t0 = performance.now();
      await augmentMany(pipeline, images, 0, n, r + 1);
      rates.push((n / (performance.now() - t0)) * 1000);
      total += n;
    }
    const cpu = process.cpuUsage(cpu0);
    return { rates, perCpuSecond: total / ((cpu.user + cpu.system) / 1e6) };
  } finally {
    sharp.concurrency(concurrency);
  }
}
