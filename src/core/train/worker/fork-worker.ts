import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { tsxImportArgs } from '../tsx-paths.js';
import type { WorkerHandle, WorkerLauncher } from './worker-handle.js';

/** The worker entry next to this file (TypeScript in a checkout, run through tsx). */
export const WORKER_ENTRY = fileURLToPath(new URL('./train-worker.ts', import.meta.url));

const TAIL_BYTES = 8192;

export interface ForkOptions {
  entry?: string;
  /** Extra Node flags (e.g. --max-old-space-size=2048). */
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
}

/** Starts the worker with child_process.fork; its output is kept (not shown) so a crash can be explained. */
export function forkLauncher(opts: ForkOptions = {}): WorkerLauncher {
  return () => {
    const entry = opts.entry ?? WORKER_ENTRY;
    const execArgv = entry.endsWith('.ts') ? [...tsxImportArgs(), ...(opts.execArgv ?? [])] : [...(opts.execArgv ?? [])];
    const child = fork(entry, [], {
      execArgv,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    let tail = '';
    const keep = (chunk: Buffer) => {
      tail = (tail + chunk.toString('utf8')).slice(-TAIL_BYTES);
      if (process.env.SMALLSET_DEBUG) process.stderr.write(chunk);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const handle: WorkerHandle = {
      pid: child.pid,
      send: (message) => {
        if (child.connected) child.send(message);
      },
      onMessage: (listener) => child.on('message', listener),
      // 'close' rather than 'exit': by then every message and every byte of output has arrived.
      onExit: (listener) => child.once('close', (code, signal) => listener(code, signal)),
      kill: (signal) => {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      },
      outputTail: () => tail,
    };
    return handle;
  };
}
