import { parentPort, workerData } from 'node:worker_threads';
import { ApiError } from '../../shared/api/errors.js';
import type { FromRenderWorker, RenderWorkerData, ToRenderWorker } from './render-protocol.js';
import { renderSource } from './render-source.js';

/** A render thread: decodes, augments, encodes and writes the originals it is sent, one message per task. */
const port = parentPort!;
const { settings, stop } = workerData as RenderWorkerData;
const stopFlag = new Int32Array(stop);
const send = (m: FromRenderWorker) => port.postMessage(m);
const control = { cancelled: () => Atomics.load(stopFlag, 0) !== 0, fileDone: () => send({ type: 'file' }) };

port.on('message', (m: ToRenderWorker) => {
  renderSource(m.task, settings, control).then(
    (result) => send({ type: 'done', index: m.index, result }),
    (err: unknown) => {
      const error = err instanceof ApiError ? err.toJSON() : { code: 'internal' as const, message: `A render thread failed: ${err instanceof Error ? err.message : String(err)}` };
      send({ type: 'failed', index: m.index, error });
    },
  );
});
send({ type: 'ready' });
