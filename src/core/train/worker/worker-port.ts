import type { ParentMessage, WorkerMessage } from './protocol.js';

/** The worker's end of the channel, the same whether it was started by child_process.fork or Electron's utilityProcess. */
export interface WorkerPort {
  send(message: WorkerMessage): Promise<void>;
  onMessage(listener: (message: unknown) => void): void;
}

/** Electron gives utility processes `process.parentPort` (MessagePortMain); messages arrive as `{ data }`. */
interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

export function connectToParent(): WorkerPort {
  const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (parentPort) {
    return {
      send: async (message) => parentPort.postMessage(message),
      onMessage: (listener) => parentPort.on('message', (e) => listener(e.data)),
    };
  }
  if (!process.send) throw new Error('The training worker must be started as a child process with an IPC channel.');
  return {
    send: (message) =>
      new Promise<void>((resolve, reject) => {
        process.send!(message, undefined, undefined, (err) => (err ? reject(err) : resolve()));
      }),
    onMessage: (listener) => process.on('message', listener),
  };
}

export type { ParentMessage };
