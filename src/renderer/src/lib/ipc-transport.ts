import type { SmallsetBridge } from '../../../shared/api/bridge.js';
import { ApiError } from '../../../shared/api/errors.js';
import type { Transport } from '../../../shared/api/client.js';

/** The desktop app: calls and events go through the preload's bridge (`window.smallset`). */
export function ipcTransport(bridge: SmallsetBridge): Transport {
  return {
    async invoke(method, input) {
      const reply = await bridge.invoke(method, input);
      if (reply.ok) return reply.result;
      throw ApiError.from(reply.error);
    },
    on(event, listener) {
      return bridge.on(event, listener);
    },
  };
}
