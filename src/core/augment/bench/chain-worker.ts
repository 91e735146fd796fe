import { parentPort, workerData } from 'node:worker_threads';
import type { RawImage } from '../op.js';
import { parsePipeline, type PipelineJson } from '../pipeline.js';
import { augmentMany } from './throughput.js';

export interface ChainWorkerData {
  pipeline: PipelineJson;
  images: { data: Uint8Array; width: number; height: number }[];
  n: number;
}

/** One benchmark thread: waits for "go", runs its share of the chain once, reports images done. */
const data = workerData as ChainWorkerData;
const images: RawImage[] = data.images.map((i) => ({ data: i.data, width: i.width, height: i.height, channels: 3 }));
const pipeline = parsePipeline(data.pipeline);
// Warm the JIT before the timed run starts on every thread at once.
await augmentMany(pipeline, images, 0, Math.min(24, data.n), 0);
parentPort!.postMessage({ ready: true });
parentPort!.once('message', async () => {
  await augmentMany(pipeline, images, 0, data.n, 1);
  parentPort!.postMessage({ done: data.n });
});
