import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppContext } from '../../core/context.js';
import { accessRules, hasCredentials, hostAllowed, hostForUrl, isWildcard, originAllowed, sameSecret, sessionCookie, type AccessRules } from './access.js';
import { EventStreams, handleCall } from './api-routes.js';
import { handleMedia } from './media-routes.js';
import { securityHeaders, sendError, sendPage } from './responses.js';
import { handleStatic } from './static-files.js';

export interface ServeOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** The built renderer (index.html + assets). */
  rendererDir: string;
  /** Fixed token for tests; a random one otherwise. */
  token?: string;
}

export interface RunningServer {
  /** The address to open, token included; it works once per browser and then lives in a cookie. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

function split(url: string): { pathname: string; query: URLSearchParams } {
  const q = url.indexOf('?');
  return q < 0 ? { pathname: url, query: new URLSearchParams() } : { pathname: url.slice(0, q), query: new URLSearchParams(url.slice(q + 1)) };
}

function isApi(pathname: string): boolean {
  return pathname.startsWith('/api/') || pathname.startsWith('/media/');
}

function refuse(res: ServerResponse, pathname: string, status: number, message: string): void {
  if (isApi(pathname)) sendError(res, status, { code: 'invalid_input', message });
  else sendPage(res, status, status === 401 ? 'Smallset Studio needs its token' : 'Request refused', message);
}

async function route(req: IncomingMessage, res: ServerResponse, ctx: AppContext, rules: AccessRules, rendererDir: string, streams: EventStreams): Promise<void> {
  securityHeaders(res);
  const { pathname, query } = split(req.url ?? '/');
  if (!pathname.startsWith('/')) return refuse(res, '/api/', 400, 'Malformed request path.');
  if (!hostAllowed(req, rules)) {
    return refuse(res, pathname, 403, `This server does not answer to the host "${(req.headers.host ?? '').slice(0, 100)}".`);
  }
  const method = req.method ?? 'GET';
  const token = query.get('token');
  if (pathname === '/' && token !== null && (method === 'GET' || method === 'HEAD')) {
    if (!sameSecret(token, rules.token)) return refuse(res, pathname, 403, 'That token is not the one this server printed.');
    // Trade the token for a cookie and drop it from the address bar (and the browser history).
    res.writeHead(303, { 'Set-Cookie': sessionCookie(rules), Location: '/', 'Cache-Control': 'no-store' });
    res.end();
    return;
  }
  if (!originAllowed(req, rules)) return refuse(res, pathname, 403, 'Cross-site requests are refused.');
  if (!hasCredentials(req, rules)) {
    return refuse(res, pathname, 401, 'Open the address printed by `smallset serve` (it ends in ?token=…), or send Authorization: Bearer <token>.');
  }

  const parts = pathname.split('/');
  if (parts[1] === 'api') {
    if (parts[2] === 'call' && parts.length === 4) {
      if (method !== 'POST') return methodNotAllowed(res, 'POST');
      return handleCall(req, res, ctx, decodeMethod(parts[3] ?? ''));
    }
    if (parts[2] === 'events' && parts.length === 3) {
      if (method !== 'GET') return methodNotAllowed(res, 'GET');
      return streams.handle(req, res, ctx);
    }
    return sendError(res, 404, { code: 'not_found', message: `No API route ${pathname.slice(0, 200)}; calls go to POST /api/call/<method>.` });
  }
  if (method !== 'GET' && method !== 'HEAD') return methodNotAllowed(res, 'GET, HEAD');
  if (parts[1] === 'media') {
    const kind = parts[2];
    if ((kind === 'thumb' || kind === 'image') && parts.length === 4) return handleMedia(req, res, ctx, kind, parts[3] ?? '');
    return sendError(res, 404, { code: 'not_found', message: 'Media lives at /media/thumb/<image id> and /media/image/<image id>.' });
  }
  return handleStatic(req, res, rendererDir, pathname);
}

function decodeMethod(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  res.setHeader('Allow', allow);
  sendError(res, 405, { code: 'invalid_input', message: `Use ${allow} here.` });
}

/** Starts the HTTP front door: the built UI, the API, its events and media, all behind the token. */
export async function startServer(ctx: AppContext, options: ServeOptions): Promise<RunningServer> {
  const streams = new EventStreams();
  // The allowed Host names include the port, known only once listening.
  const access: { rules?: AccessRules } = {};
  const server = http.createServer((req, res) => {
    if (!access.rules) {
      res.destroy();
      return;
    }
    route(req, res, ctx, access.rules, options.rendererDir, streams).catch((err: unknown) => {
      process.stderr.write(`smallset serve: ${req.method} ${req.url}: ${err instanceof Error ? err.stack : String(err)}\n`);
      if (!res.headersSent) sendError(res, 500, { code: 'internal', message: 'The server failed to answer this request.' });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const rules = accessRules(options.host, port, options.token);
  access.rules = rules;
  const shownHost = isWildcard(options.host) ? '127.0.0.1' : hostForUrl(options.host);
  return {
    url: `http://${shownHost}:${port}/?token=${rules.token}`,
    host: options.host,
    port,
    token: rules.token,
    close: () =>
      new Promise<void>((resolve) => {
        streams.closeAll();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
