import type { ParentMessage } from './protocol.js';

/** The parent's end of one training process, whatever started it (fork, Electron utilityProcess). */
export interface WorkerHandle {
  readonly pid: number | undefined;
  send(message: ParentMessage): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once when the process has exited. */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  kill(signal: 'SIGTERM' | 'SIGKILL'): void;
  /** The last lines the process wrote to stdout/stderr, to explain a crash. */
  outputTail(): string;
}

/** Starts one training process. The run manager takes one so Electron can supply utilityProcess. */
export type WorkerLauncher = () => WorkerHandle;
