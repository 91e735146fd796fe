import { ApiError } from '../../../shared/api/errors.js';
import { callReplySchema } from '../../../shared/api/reply.js';
import type { Transport } from '../../../shared/api/client.js';

/**
 * `smallset serve` in a browser: calls are POST /api/call/<method>, events one EventSource on
 * /api/events shared by every subscription. The session cookie rides along (same origin).
 */
export function httpTransport(base = ''): Transport {
  let source: EventSource | undefined;
  const listeners = new Map<string, Set<(payload: unknown) => void>>();

  function stream(): EventSource {
    if (!source) {
      source = new EventSource(`${base}/api/events`);
      // Closing before unload keeps the browser from reporting the stream as a failed request.
      window.addEventListener('pagehide', () => source?.close(), { once: true });
    }
    return source;
  }

  return {
    async invoke(method, input) {
      let res: Response;
      try {
        res = await fetch(`${base}/api/call/${encodeURIComponent(method)}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(input ?? {}),
          credentials: 'same-origin',
        });
      } catch {
        throw new ApiError('io_error', 'Cannot reach Smallset Studio’s server. Is `smallset serve` still running?');
      }
      let body: unknown;
      try {
        body = await res.json();
      } catch {
        throw new ApiError('internal', `The server answered ${res.status} ${res.statusText} without a JSON body.`);
      }
      const reply = callReplySchema.safeParse(body);
      if (!reply.success) throw new ApiError('internal', `The server's answer to ${method} has an unexpected shape.`);
      if (reply.data.ok) return reply.data.result;
      throw ApiError.from(reply.data.error);
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) {
        const subscribers = new Set<(payload: unknown) => void>();
        listeners.set(event, (set = subscribers));
        stream().addEventListener(event, (message) => {
          let payload: unknown;
          try {
            payload = JSON.parse((message as MessageEvent<string>).data);
          } catch {
            return;
          }
          for (const l of subscribers) l(payload);
        });
      }
      set.add(listener);
      return () => {
        set.delete(listener);
      };
    },
  };
}
