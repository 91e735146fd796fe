import type { AppContext } from '../context.js';
import { runManager } from '../train/run-manager.js';
import { getRunSummary } from '../train/run-store.js';
import { currentVerdict } from './detail.js';
import { CompareQueue, type RunLauncher } from './queue.js';

/** The training engine as the comparison queue sees it. */
export function trainLauncher(ctx: AppContext): RunLauncher {
  const manager = runManager(ctx);
  return {
    start: async ({ concurrency, ...req }) => {
      // A comparison asked for more parallel runs than the engine's default: let the engine run them.
      if (manager.concurrency < concurrency) manager.concurrency = concurrency;
      return manager.startRun(req);
    },
    wait: async (runId) => {
      const run = await manager.waitForRun(runId);
      const status = run.status === 'done' || run.status === 'cancelled' ? run.status : 'failed';
      return { status, error: status === 'failed' ? (run.error ?? `the run ended as ${run.status}`) : null };
    },
    cancel: (runId) => {
      manager.cancel(runId);
    },
    status: (runId) => getRunSummary(ctx.db, runId)?.status ?? null,
  };
}

const queues = new WeakMap<AppContext, CompareQueue>();

/** The comparison queue of a context, created on first use and closed with the context. */
export function compareQueue(ctx: AppContext): CompareQueue {
  let q = queues.get(ctx);
  if (!q) {
    const created = new CompareQueue(ctx, trainLauncher(ctx), { verdict: (id) => currentVerdict(ctx.db, id) });
    queues.set(ctx, created);
    ctx.onClose(() => created.close());
    q = created;
  }
  return q;
}

/**
 * Continues the comparisons a previous process left unfinished (pending runs start, runs that
 * were training when it died start again). Long-lived front doors (the desktop app, `serve`)
 * call it once after creating their context; a one-shot CLI command does not adopt others' work.
 */
export function resumeComparisons(ctx: AppContext): number[] {
  return compareQueue(ctx).resume();
}
