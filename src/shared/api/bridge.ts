import type { CallReply } from './reply.js';

/** The two IPC channels between the desktop app's page and its main process. */
export const IPC_INVOKE = 'smallset:invoke';
export const IPC_EVENT = 'smallset:event';

/** The custom scheme the desktop app serves media on: smallset://thumb/<id>, smallset://image/<id>. */
export const MEDIA_SCHEME = 'smallset';

/**
 * All the preload script gives the page (as `window.smallset`): one call, one subscription.
 * `invoke` resolves with the reply, never rejects for an API error.
 */
export interface SmallsetBridge {
  invoke(method: string, input: unknown): Promise<CallReply>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}
