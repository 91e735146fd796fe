import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppContext } from '../../core/context.js';
import { dispatchReply } from '../../core/transport/reply.js';
import { sendError, sendJson, statusFor } from './responses.js';

/** Large enough for a label change of 100 000 images and its undo; small enough to refuse junk early. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Stop keeping it but keep reading, so the 413 reaches the client before the connection closes.
        req.off('data', onData);
        req.resume();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** POST /api/call/<method>: JSON in, `{ok, result | error}` out, through the one dispatcher. */
export async function handleCall(req: IncomingMessage, res: ServerResponse, ctx: AppContext, method: string): Promise<void> {
  const type = req.headers['content-type'] ?? '';
  // Requiring JSON also forces a CORS preflight on any cross-site attempt, which we never answer.
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    sendError(res, 415, { code: 'invalid_input', message: 'Send the input as JSON (Content-Type: application/json).' });
    return;
  }
  let text: string;
  try {
    text = await readBody(req, MAX_BODY_BYTES);
  } catch (err) {
    if (err instanceof BodyTooLarge) {
      res.setHeader('Connection', 'close');
      res.once('finish', () => req.destroy());
      sendError(res, 413, { code: 'invalid_input', message: `The request body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB.` });
    }
    return;
  }
  let input: unknown = {};
  if (text.trim() !== '') {
    try {
      input = JSON.parse(text);
    } catch (err) {
      sendError(res, 400, { code: 'invalid_input', message: `The request body is not valid JSON: ${(err as Error).message}` });
      return;
    }
  }
  const reply = await dispatchReply(ctx, method, input);
  if (reply.ok) sendJson(res, 200, reply);
  else sendError(res, statusFor(reply.error.code), reply.error);
}

/** Open event streams, so closing the server can end them (they never end on their own). */
export class EventStreams {
  private readonly open = new Set<ServerResponse>();

  /** GET /api/events: every core event as a server-sent event named after it. */
  handle(req: IncomingMessage, res: ServerResponse, ctx: AppContext): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    const unsubscribe = ctx.events.onAny((event, payload) => {
      res.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
    });
    // Proxies and idle timeouts drop silent connections.
    const heartbeat = setInterval(() => res.write(': ping\n\n'), 20_000);
    this.open.add(res);
    const done = () => {
      clearInterval(heartbeat);
      unsubscribe();
      this.open.delete(res);
    };
    req.on('close', done);
    res.on('close', done);
  }

  closeAll(): void {
    for (const res of this.open) res.end();
  }
}
