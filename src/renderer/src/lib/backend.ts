import type { SmallsetBridge } from '../../../shared/api/bridge.js';
import { createClient, type Client } from '../../../shared/api/client.js';
import { httpTransport } from './http-transport.js';
import { ipcTransport } from './ipc-transport.js';

/** What the UI talks to: the typed client, plus where each transport serves media. */
export interface Backend {
  readonly kind: 'desktop' | 'browser';
  readonly client: Client;
  thumbUrl(imageId: number): string;
  imageUrl(imageId: number): string;
}

declare global {
  interface Window {
    /** Set by the desktop app's preload; absent in a browser. */
    smallset?: SmallsetBridge;
  }
}

export function detectBackend(): Backend {
  const bridge = window.smallset;
  if (bridge) {
    return {
      kind: 'desktop',
      client: createClient(ipcTransport(bridge)),
      thumbUrl: (id) => `smallset://thumb/${id}`,
      imageUrl: (id) => `smallset://image/${id}`,
    };
  }
  return {
    kind: 'browser',
    client: createClient(httpTransport()),
    thumbUrl: (id) => `/media/thumb/${id}`,
    imageUrl: (id) => `/media/image/${id}`,
  };
}
