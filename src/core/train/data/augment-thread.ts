/**
 * Entry of the augmentation thread of a training process: the pixel ops run here while the main
 * thread trains on the previous batches.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { TrainPipeline } from '../../../shared/api/train.js';
import type { AugmentImplName } from '../../augment/impl-choice.js';
import { createAugmentHook, type AugmentRequest } from './augment-hook.js';

export interface AugmentThreadData {
  pipeline: TrainPipeline;
  seed: number;
  impl: AugmentImplName;
}
export type AugmentThreadRequest = AugmentRequest & { id: number };
export type AugmentThreadReply = { id: number; pixels: Uint8Array[] } | { id: number; error: string };

const { pipeline, seed, impl } = workerData as AugmentThreadData;
const hook = createAugmentHook(pipeline, seed, impl)!;
const port = parentPort!;

port.on('message', (request: AugmentThreadRequest) => {
  hook(request).then(
    (pixels) => {
      const reply: AugmentThreadReply = { id: request.id, pixels };
      port.postMessage(reply, pixels.map((p) => p.buffer as ArrayBuffer).filter((b, i, all) => all.indexOf(b) === i));
    },
    (err: unknown) => port.postMessage({ id: request.id, error: err instanceof Error ? err.message : String(err) } satisfies AugmentThreadReply),
  );
});
port.postMessage({ ready: true });
