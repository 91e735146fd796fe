/** The little of a stream read here (Electron types utilityProcess's pipes as NodeJS.ReadableStream). */
interface OutputStream {
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
}

import type { WorkerHandle, WorkerLauncher } from './worker-handle.js';

/**
 * What this needs of an Electron UtilityProcess (core never imports electron): main passes
 * `() => utilityProcess.fork(trainWorkerPath, [], { stdio: 'pipe', serviceName: 'Smallset training' })`.
 */
export interface UtilityProcessLike {
  readonly pid: number | undefined;
  readonly stdout: OutputStream | null;
  readonly stderr: OutputStream | null;
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

const TAIL_BYTES = 8192;

/** A run-manager launcher over Electron's utilityProcess; the worker side needs no change (it finds process.parentPort). */
export function utilityLauncher(start: () => UtilityProcessLike): WorkerLauncher {
  return () => {
    const child = start();
    let tail = '';
    let exited = false;
    const keep = (chunk: Buffer) => {
      tail = (tail + chunk.toString('utf8')).slice(-TAIL_BYTES);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('exit', () => {
      exited = true;
    });
    const handle: WorkerHandle = {
      get pid() {
        return child.pid;
      },
      send: (message) => child.postMessage(message),
      onMessage: (listener) => void child.on('message', listener),
      // utilityProcess reports only an exit code; a kill shows up as a non-zero code.
      onExit: (listener) => void child.on('exit', (code) => listener(code, null)),
      kill: (signal) => {
        if (exited) return;
        if (signal === 'SIGKILL' && child.pid !== undefined) {
          try {
            process.kill(child.pid, 'SIGKILL');
            return;
          } catch {
            // Already gone, or not ours to signal: fall back to Electron's own kill.
          }
        }
        child.kill();
      },
      outputTail: () => tail,
    };
    return handle;
  };
}
