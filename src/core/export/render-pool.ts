import type { Worker } from 'node:worker_threads';
import { ApiError } from '../../shared/api/errors.js';
import type { FromRenderWorker, ToRenderWorker } from './render-protocol.js';
import { renderSource, type RenderResult, type RenderSettings, type RenderTask } from './render-source.js';
import { acquireThread, releaseThread } from './render-threads.js';

export interface RenderAllOptions {
  readonly settings: RenderSettings;
  /** Worker threads for the pixel work; 0 renders on this thread only. */
  readonly threads: number;
  /** Also render on this thread until a worker thread is up (default); off keeps this thread free unless no thread starts. */
  readonly inline?: boolean;
  readonly signal: AbortSignal;
  readonly onFile: () => void;
}

/** Tasks in flight per thread: one decoding or encoding in sharp's pool while the other runs JavaScript. */
const PER_THREAD = 2;
/** Tasks in flight on this thread until a worker thread is up. */
const INLINE_SLOTS = 3;

interface Lane {
  /** Null until the thread has been created. */
  worker: Worker | null;
  ready: boolean;
  inFlight: number;
  gone: boolean;
  /** Resolves once the thread is up or has failed to start, when handing it back is safe. */
  readonly settled: Promise<void>;
  /** Removes this export's listeners from the thread. */
  detach: () => void;
}

/**
 * Renders every task with this thread and worker threads sharing one queue. This thread works
 * from the start, so small exports never wait for threads to boot; once a thread is up it takes
 * over. Results are stored by task index, and each file depends only on its own task, so the output
 * is the same whatever ran where. A failure or cancel stops new tasks, lets running ones stop
 * between files, and rejects once nothing is running any more.
 */
export function renderAll(tasks: readonly RenderTask[], options: RenderAllOptions): Promise<RenderResult[]> {
  const { settings, signal, onFile } = options;
  const results = new Array<RenderResult>(tasks.length);
  const stop = new SharedArrayBuffer(4);
  const stopFlag = new Int32Array(stop);
  let next = 0;
  let failure: ApiError | null = null;
  let inlineRunning = 0;
  let threadsInFlight = 0;
  let readyThreads = 0;
  const lanes: Lane[] = [];

  const stopped = () => failure !== null || signal.aborted;
  const take = (): number | null => (stopped() || next >= tasks.length ? null : next++);
  const fail = (err: unknown) => {
    failure ??= err instanceof ApiError ? err : new ApiError('internal', `Export failed: ${err instanceof Error ? err.message : String(err)}`);
    Atomics.store(stopFlag, 0, 1);
  };
  const onAbort = () => Atomics.store(stopFlag, 0, 1);
  signal.addEventListener('abort', onAbort, { once: true });

  return new Promise<RenderResult[]>((resolve, reject) => {
    let finished = false;
    const maybeFinish = () => {
      if (finished || inlineRunning > 0 || threadsInFlight > 0) return;
      if (!stopped() && next < tasks.length) return;
      finished = true;
      signal.removeEventListener('abort', onAbort);
      void Promise.all(lanes.map((l) => l.settled)).then(() => {
        for (const lane of lanes) {
          if (!lane.worker || lane.gone) continue;
          lane.detach();
          releaseThread(lane.worker);
        }
        if (failure && failure.code !== 'cancelled') reject(failure);
        else if (signal.aborted || failure) reject(new ApiError('cancelled', 'The export was cancelled.'));
        else resolve(results);
      });
    };

    const control = { cancelled: () => Atomics.load(stopFlag, 0) !== 0, fileDone: onFile };
    const inlineSlot = async () => {
      inlineRunning++;
      try {
        for (;;) {
          if (readyThreads > 0) break;
          const i = take();
          if (i === null) break;
          try {
            results[i] = await renderSource(tasks[i]!, settings, control);
          } catch (err) {
            fail(err);
          }
        }
      } finally {
        inlineRunning--;
        maybeFinish();
      }
    };

    const startInline = () => {
      for (let s = 0; s < INLINE_SLOTS; s++) void inlineSlot();
    };

    const feed = (lane: Lane) => {
      while (lane.ready && lane.inFlight < PER_THREAD) {
        const index = take();
        if (index === null) break;
        lane.inFlight++;
        threadsInFlight++;
        lane.worker!.postMessage({ type: 'task', index, task: tasks[index]! } satisfies ToRenderWorker);
      }
      maybeFinish();
    };

    const begin: ToRenderWorker = { type: 'begin', settings, stop };
    const threads = Math.min(options.threads, tasks.length);
    for (let t = 0; t < threads; t++) {
      let settle!: () => void;
      const settled = new Promise<void>((r) => (settle = r));
      const lane: Lane = { worker: null, ready: false, inFlight: 0, gone: false, settled, detach: () => {} };
      lanes.push(lane);
      const finishTask = () => {
        lane.inFlight--;
        threadsInFlight--;
        feed(lane);
      };
      const lost = (why: string) => {
        settle();
        if (lane.gone) return;
        lane.gone = true;
        // A thread that never started only costs speed; one that stops mid-task leaves work undone.
        if (lane.inFlight > 0) fail(new ApiError('internal', `A render thread stopped: ${why}`));
        if (lane.ready) readyThreads--;
        lane.ready = false;
        threadsInFlight -= lane.inFlight;
        lane.inFlight = 0;
        if (lanes.every((l) => l.gone) && inlineRunning === 0) startInline();
        maybeFinish();
      };
      const up = () => {
        lane.ready = true;
        readyThreads++;
        settle();
        feed(lane);
      };
      const onMessage = (m: FromRenderWorker) => {
        if (m.type === 'ready') up();
        else if (m.type === 'file') onFile();
        else if (m.type === 'done') {
          results[m.index] = m.result;
          finishTask();
        } else {
          fail(ApiError.from(m.error));
          finishTask();
        }
      };
      const onError = (err: Error) => lost(err.message);
      const onExit = (code: number) => lost(`it exited with code ${code}`);
      acquireThread().then(
        ({ worker, fresh }) => {
          lane.worker = worker;
          worker.on('message', onMessage).on('error', onError).on('exit', onExit);
          lane.detach = () => worker.off('message', onMessage).off('error', onError).off('exit', onExit);
          worker.postMessage(begin);
          if (!fresh) up();
        },
        (err: unknown) => lost(err instanceof Error ? err.message : String(err)),
      );
    }
    if (options.inline !== false || lanes.length === 0) startInline();
  });
}
