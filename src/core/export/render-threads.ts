import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startWorker } from './start-worker.js';

/**
 * Render threads outlive one export: starting one (a V8 isolate loading sharp, zod and the ops)
 * costs about as much CPU as rendering 15–20 images, so an idle thread waits this long for the
 * next export before it ends. Idle threads are unref'd and never keep the process alive.
 */
const IDLE_MS = 60_000;
/** The thread entry beside this module: TypeScript in a checkout, JavaScript when built. */
const WORKER_ENTRY = new URL(`./render-worker.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url);

interface IdleThread {
  readonly worker: Worker;
  readonly timer: NodeJS.Timeout;
  readonly gone: () => void;
}

const idle: IdleThread[] = [];

export interface AcquiredThread {
  readonly worker: Worker;
  /** False for a thread that was already up: it sends no `ready` message. */
  readonly fresh: boolean;
}

/** An idle render thread when there is one, else a new one (it says `ready` once it is up). */
export async function acquireThread(): Promise<AcquiredThread> {
  const kept = idle.pop();
  if (kept) {
    clearTimeout(kept.timer);
    kept.worker.off('exit', kept.gone).off('error', kept.gone);
    kept.worker.ref();
    return { worker: kept.worker, fresh: false };
  }
  return { worker: await startWorker(WORKER_ENTRY, null), fresh: true };
}

/** Hands a healthy thread back (its export's listeners removed) for the next export. */
export function releaseThread(worker: Worker): void {
  if (idle.length >= Math.min(4, os.availableParallelism())) {
    void worker.terminate();
    return;
  }
  const gone = () => {
    const at = idle.indexOf(entry);
    if (at >= 0) idle.splice(at, 1);
    clearTimeout(entry.timer);
  };
  const timer = setTimeout(() => {
    gone();
    void worker.terminate();
  }, IDLE_MS);
  timer.unref();
  const entry: IdleThread = { worker, timer, gone };
  worker.on('exit', gone).on('error', gone);
  worker.unref();
  idle.push(entry);
}

/** Thread ids of the idle threads, oldest first. */
export function idleThreadIds(): number[] {
  return idle.map((t) => t.worker.threadId);
}

/** Ends every idle thread now (tests, and hosts that want a clean exit). */
export async function endIdleThreads(): Promise<void> {
  const all = idle.splice(0);
  await Promise.all(
    all.map((t) => {
      clearTimeout(t.timer);
      return t.worker.terminate();
    }),
  );
}
