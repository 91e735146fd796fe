/**
 * Entry of a training process (child_process.fork under Node, utilityProcess in Electron). Waits
 * for one start message (a run) or task message (k-fold training, a harm check), does it, sends
 * done/task-done or error, and exits. Imports the heavy modules only
 * after the channel is up, so the parent sees a broken install as an error message, not a silent exit.
 */
import { isParentMessage, type WorkerMessage } from './protocol.js';
import { connectToParent } from './worker-port.js';

const port = connectToParent();
let startedJob = false;

function errorMessage(err: unknown): WorkerMessage {
  const e = err as { message?: unknown; code?: unknown; stack?: unknown; name?: unknown };
  const thrown = typeof e?.message === 'string' ? e.message : String(err);
  // Memory the process, a thread or the wasm heap could not get: the run failed for its size, not our bug.
  if (/out of memory|memory limit|Array buffer allocation failed|WebAssembly\.Memory|Cannot enlarge memory|\bOOM\b/i.test(thrown)) {
    const message = `The training process ran out of memory (${thrown}); try a smaller image size or batch size.`;
    return { type: 'error', message, code: 'out_of_memory' };
  }
  const code = e?.name === 'ApiError' && typeof e.code === 'string' ? e.code : 'internal';
  return { type: 'error', message: thrown, code, ...(typeof e?.stack === 'string' ? { stack: e.stack } : {}) };
}

async function finish(message: WorkerMessage, exitCode: number): Promise<never> {
  try {
    await port.send(message);
  } finally {
    process.exit(exitCode);
  }
}

// A parent that dies (even by SIGKILL) closes the channel: no orphan keeps training.
if (process.send) process.on('disconnect', () => process.exit(1));

process.on('uncaughtException', (err) => void finish(errorMessage(err), 1));
process.on('unhandledRejection', (err) => void finish(errorMessage(err), 1));

port.onMessage((message) => {
  if (startedJob || !isParentMessage(message)) return;
  startedJob = true;
  void (async () => {
    try {
      if (message.type === 'task') {
        const { runTask } = await import('./run-task.js');
        const result = await runTask(message.task, (progress) => void port.send({ type: 'task-progress', progress }));
        await finish({ type: 'task-done', result }, 0);
        return;
      }
      const { runTraining } = await import('./run-training.js');
      const outcome = await runTraining(message.job, {
        started: (backend) => void port.send({ type: 'started', backend, pid: process.pid }),
        progress: (progress) => void port.send({ type: 'progress', progress }),
        epoch: (log) => void port.send({ type: 'epoch', log }),
      });
      await finish({ type: 'done', metrics: outcome.metrics, modelPath: outcome.modelPath }, 0);
    } catch (err) {
      await finish(errorMessage(err), 1);
    }
  })();
});
