import { Worker } from 'node:worker_threads';
import type { TrainPipeline } from '../../../shared/api/train.js';
import { ApiError } from '../../../shared/api/errors.js';
import type { AugmentImplName } from '../../augment/impl-choice.js';
import { threadEntry } from '../tsx-paths.js';
import { createAugmentHook, hasOps, type AugmentHook } from './augment-hook.js';
import type { AugmentThreadData, AugmentThreadReply, AugmentThreadRequest } from './augment-thread.js';

export interface RunningAugment {
  hook: AugmentHook | null;
  /** Where augmentation runs: its own thread, or the training thread when a thread could not start. */
  where: 'thread' | 'inline' | 'none';
  impl: AugmentImplName | null;
  close(): Promise<void>;
}

/** The thread entry beside this file: TypeScript in a checkout, JavaScript in a build. */
const THREAD_ENTRY = new URL(`./augment-thread.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url);

/**
 * Starts augmentation for a run. The sharp implementation runs on its own thread, so the pixel ops
 * of the next batches run while the training thread works on this one; it falls back to the
 * training thread when no thread can start (e.g. a build without the thread entry). The tf
 * implementation runs on the training thread, where the training backend is.
 */
export async function startAugment(pipeline: TrainPipeline | null, seed: number, impl: AugmentImplName = 'sharp'): Promise<RunningAugment> {
  if (!hasOps(pipeline)) return { hook: null, where: 'none', impl: null, close: async () => {} };
  if (impl === 'tf') return { hook: createAugmentHook(pipeline, seed, 'tf'), where: 'inline', impl, close: async () => {} };
  let worker: Worker;
  try {
    worker = new Worker(threadEntry(THREAD_ENTRY), { workerData: { pipeline, seed, impl } satisfies AugmentThreadData });
    const started = worker;
    await new Promise<void>((resolve, reject) => {
      const onReady = () => done();
      const onExit = (code: number) => done(new Error(`augmentation thread exited with code ${code}`));
      // Only our own listeners come off: Worker keeps internal ones that start its message port.
      const done = (err?: Error) => {
        started.off('message', onReady).off('error', done).off('exit', onExit);
        if (err) reject(err);
        else resolve();
      };
      started.on('message', onReady).on('error', done).on('exit', onExit);
    });
  } catch {
    return { hook: createAugmentHook(pipeline, seed, impl), where: 'inline', impl, close: async () => {} };
  }
  const pending = new Map<number, { resolve: (p: Uint8Array[]) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let failure: Error | null = null;
  const failAll = (err: Error) => {
    failure = err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  worker.on('message', (reply: AugmentThreadReply) => {
    const p = pending.get(reply.id);
    if (!p) return;
    pending.delete(reply.id);
    if ('error' in reply) p.reject(new ApiError('invalid_input', `pipeline: ${reply.error}`));
    else p.resolve(reply.pixels);
  });
  worker.on('error', (err) => failAll(err));
  const onExit = (code: number) => failAll(new Error(`augmentation thread exited with code ${code}`));
  worker.on('exit', onExit);
  const hook: AugmentHook = (request) => {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      // Copies: the samples are the cached decodes, which must stay on this thread.
      const message: AugmentThreadRequest = { id, size: request.size, epoch: request.epoch, samples: request.samples.map((s) => ({ imageId: s.imageId, pixels: s.pixels })) };
      worker.postMessage(message);
    });
  };
  return {
    hook,
    where: 'thread',
    impl,
    close: async () => {
      worker.off('exit', onExit);
      await worker.terminate();
    },
  };
}
