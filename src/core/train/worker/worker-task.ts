import { ApiError, errorCodes, type ErrorCode } from '../../../shared/api/errors.js';
import type { AppContext } from '../../context.js';
import type { Job } from '../../jobs/job-registry.js';
import { crashMessage } from '../run-manager.js';
import { forkLauncher } from './fork-worker.js';
import { isWorkerMessage, type WorkerTask, type WorkerTaskResults } from './protocol.js';
import { utilityLauncher } from './utility-launcher.js';
import type { WorkerHandle, WorkerLauncher } from './worker-handle.js';

/** Time a task's process gets after SIGTERM before SIGKILL. */
const KILL_GRACE_MS = 3000;

/** Live task processes by job id, for diagnostics and tests. */
const live = new Map<string, WorkerHandle>();

/** Process id of the training process running a job's task, while it runs. */
export function taskWorkerPid(jobId: string): number | undefined {
  return live.get(jobId)?.pid;
}

function launcherFor(ctx: Pick<AppContext, 'host'>): WorkerLauncher {
  const start = ctx.host?.startTrainingProcess?.bind(ctx.host);
  return start ? utilityLauncher(start) : forkLauncher();
}

/** A worker's error code as an API code (running out of memory is the input's size, not our bug). */
function apiCode(code: string): ErrorCode {
  if (code === 'out_of_memory') return 'invalid_input';
  return (errorCodes as readonly string[]).includes(code) ? (code as ErrorCode) : 'internal';
}

/** Each context's live task processes, killed when it closes. */
const byContext = new WeakMap<object, Set<WorkerHandle>>();

function track(ctx: Pick<AppContext, 'onClose'>, handle: WorkerHandle): () => void {
  let set = byContext.get(ctx);
  if (!set) {
    const created = new Set<WorkerHandle>();
    byContext.set(ctx, created);
    ctx.onClose(() => {
      for (const h of created) h.kill('SIGKILL');
      created.clear();
    });
    set = created;
  }
  set.add(handle);
  return () => set.delete(handle);
}

/**
 * Runs a task in a training process of its own (the same process and launcher as training runs),
 * forwarding its progress to the job. Cancelling the job, or closing the context, kills the process;
 * the promise settles only after the process is gone.
 */
export function runWorkerTask<K extends WorkerTask['kind']>(
  ctx: Pick<AppContext, 'host' | 'onClose'>,
  task: Extract<WorkerTask, { kind: K }>,
  job: Job,
): Promise<WorkerTaskResults[K]> {
  job.throwIfCancelled();
  return new Promise((resolve, reject) => {
    let handle: WorkerHandle;
    try {
      handle = launcherFor(ctx)();
    } catch (err) {
      reject(new ApiError('internal', `Could not start the training process: ${(err as Error).message}`));
      return;
    }
    live.set(job.id, handle);
    const untrack = track(ctx, handle);
    let outcome: { ok: true; result: WorkerTaskResults[K] } | { ok: false; error: Error } | null = null;
    let killTimer: NodeJS.Timeout | null = null;
    const stop = () => {
      handle.kill('SIGTERM');
      killTimer ??= setTimeout(() => handle.kill('SIGKILL'), KILL_GRACE_MS);
      killTimer.unref();
    };
    const onAbort = () => stop();
    job.signal.addEventListener('abort', onAbort, { once: true });

    handle.onMessage((m) => {
      if (!isWorkerMessage(m) || outcome) return;
      if (m.type === 'task-progress') job.progress(m.progress);
      else if (m.type === 'task-done') outcome = { ok: true, result: m.result as WorkerTaskResults[K] };
      else if (m.type === 'error') outcome = { ok: false, error: new ApiError(apiCode(m.code), m.message) };
    });
    handle.onExit((code, signal) => {
      untrack();
      if (killTimer) clearTimeout(killTimer);
      job.signal.removeEventListener('abort', onAbort);
      live.delete(job.id);
      if (job.signal.aborted) reject(new ApiError('cancelled', `${job.kind} was cancelled.`));
      else if (outcome?.ok) resolve(outcome.result);
      else if (outcome) reject(outcome.error);
      else reject(new ApiError('internal', crashMessage(code, signal, handle.outputTail())));
    });
    handle.send({ type: 'task', task });
  });
}
