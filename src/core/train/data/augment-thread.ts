/**
 * Entry of the augmentation thread of a training process: the pixel ops run here while the main
 * thread trains on the previous batch.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { TrainPipeline } from '../../../shared/api/train.js';
import { parsePipeline } from '../../augment/pipeline.js';
import { augmentBatch, type AugmentRequest } from './augment-hook.js';

export interface AugmentThreadData {
  pipeline: TrainPipeline;
  seed: number;
}
export type AugmentThreadRequest = AugmentRequest & { id: number };
export type AugmentThreadReply = { id: number; pixels: Uint8Array[] } | { id: number; error: string };

const { pipeline: json, seed } = workerData as AugmentThreadData;
const pipeline = parsePipeline(json, 'pipeline');
const port = parentPort!;

port.on('message', (request: AugmentThreadRequest) => {
  augmentBatch(pipeline, seed, request).then(
    (pixels) => {
      const reply: AugmentThreadReply = { id: request.id, pixels };
      port.postMessage(reply, pixels.map((p) => p.buffer as ArrayBuffer).filter((b, i, all) => all.indexOf(b) === i));
    },
    (err: unknown) => port.postMessage({ id: request.id, error: err instanceof Error ? err.message : String(err) } satisfies AugmentThreadReply),
  );
});
port.postMessage({ ready: true });
