import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { sendPage } from './responses.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/** Path segments of a request, decoded; undefined when any could step outside the folder. */
export function safeSegments(pathname: string): string[] | undefined {
  const segments: string[] = [];
  for (const raw of pathname.split('/').slice(1)) {
    let s: string;
    try {
      s = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    if (s === '' || s === '.' || s === '..' || /[/\\\0:]/.test(s)) return undefined;
    segments.push(s);
  }
  return segments;
}

/** The built renderer (out/renderer): `/` is index.html; nothing outside the folder is reachable. */
export async function handleStatic(req: IncomingMessage, res: ServerResponse, root: string, pathname: string): Promise<void> {
  const segments = pathname === '/' ? ['index.html'] : safeSegments(pathname);
  const notFound = () => sendPage(res, 404, 'Not found', `There is nothing at ${pathname.slice(0, 200)}.`);
  if (!segments) return notFound();
  const file = path.join(root, ...segments);
  let real: string;
  try {
    real = await realpath(file);
  } catch {
    return notFound();
  }
  const realRoot = await realpath(root);
  if (!real.startsWith(realRoot + path.sep)) return notFound();
  const info = await stat(real);
  if (!info.isFile()) return notFound();
  const ext = path.extname(real).toLowerCase();
  const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
  const headers = {
    'Content-Type': TYPES[ext] ?? 'application/octet-stream',
    // Vite names assets by content hash; the page itself must always be fresh.
    'Cache-Control': segments[0] === 'assets' ? 'private, max-age=31536000, immutable' : 'no-cache',
    ETag: etag,
  };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  res.writeHead(200, { ...headers, 'Content-Length': info.size });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(real);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
