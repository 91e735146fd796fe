import type { MethodName, Output, Input } from '../shared/api/index.js';
import type { JobProgress } from '../shared/api/events.js';
import { dispatch } from '../core/transport/dispatch.js';
import type { CommandEnv } from './run-command.js';

let counter = 0;

/**
 * Calls a long-running API method the way every front door does (through dispatch), with a job id
 * so its progress drives the terminal bar and Ctrl-C cancels it.
 */
export async function callJob<M extends MethodName>(env: CommandEnv, method: M, input: Omit<Input<M>, 'jobId'>): Promise<Output<M>> {
  const jobId = `cli-${process.pid}-${counter++}`;
  const off = env.ctx.events.onAny((event, payload) => {
    if (event !== 'job.progress') return;
    const p = payload as JobProgress;
    if (p.jobId === jobId) env.progress.update(p);
  });
  const onAbort = () => env.ctx.jobs.cancel(jobId);
  env.signal.addEventListener('abort', onAbort, { once: true });
  try {
    return (await dispatch(env.ctx, method, { ...input, jobId })) as Output<M>;
  } finally {
    env.signal.removeEventListener('abort', onAbort);
    off();
    env.progress.stop();
  }
}

/** Calls a quick API method through the same dispatcher the app and `serve` use. */
export async function call<M extends MethodName>(env: Pick<CommandEnv, 'ctx'>, method: M, input: Input<M>): Promise<Output<M>> {
  return (await dispatch(env.ctx, method, input)) as Output<M>;
}
