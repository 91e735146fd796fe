import { parentPort } from 'node:worker_threads';
import { ApiError } from '../../shared/api/errors.js';
import type { FromRenderWorker, ToRenderWorker } from './render-protocol.js';
import { renderSource, type RenderControl, type RenderSettings } from './render-source.js';

/** A render thread: decodes, augments, encodes and writes the originals it is sent, one message per task. */
const port = parentPort!;
const send = (m: FromRenderWorker) => port.postMessage(m);
let settings: RenderSettings | null = null;
let control: RenderControl | null = null;

port.on('message', (m: ToRenderWorker) => {
  if (m.type === 'begin') {
    const stopFlag = new Int32Array(m.stop);
    settings = m.settings;
    control = { cancelled: () => Atomics.load(stopFlag, 0) !== 0, fileDone: () => send({ type: 'file' }) };
    return;
  }
  const work = settings && control ? renderSource(m.task, settings, control) : Promise.reject(new Error('a task came before its export began'));
  work.then(
    (result) => send({ type: 'done', index: m.index, result }),
    (err: unknown) => {
      const error = err instanceof ApiError ? err.toJSON() : { code: 'internal' as const, message: `A render thread failed: ${err instanceof Error ? err.message : String(err)}` };
      send({ type: 'failed', index: m.index, error });
    },
  );
});
send({ type: 'ready' });
