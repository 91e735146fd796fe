import http from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type AppContext } from '../../../src/core/context.js';
import { startServer, type RunningServer } from '../../../src/cli/serve/server.js';
import { MAX_BODY_BYTES } from '../../../src/cli/serve/api-routes.js';
import type { CallReply } from '../../../src/shared/api/reply.js';
import type { ImportResult } from '../../../src/shared/api/library.js';
import { contractCases, httpStatus, type CallThrough } from '../../core/transport/contract-cases.js';

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

let tmp: string;
let ctx: AppContext;
let server: RunningServer;
let auth: Record<string, string>;

/** A request sent exactly as written: fetch would normalise `..` away before we could test it. */
function raw(pathname: string, options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: server.port, path: pathname, method: options.method ?? 'GET', headers: options.headers ?? {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const json = (r: Raw) => JSON.parse(r.body.toString('utf8')) as CallReply;

function post(method: string, input: unknown, headers: Record<string, string> = auth): Promise<Raw> {
  return raw(`/api/call/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(input),
  });
}

const overHttp: CallThrough = async (method, input) => {
  const r = await post(method, input);
  return { status: r.status, reply: json(r) };
};

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'smallset-serve-'));
  const ui = path.join(tmp, 'ui');
  mkdirSync(path.join(ui, 'assets'), { recursive: true });
  writeFileSync(path.join(ui, 'index.html'), '<!doctype html><title>ui</title>');
  writeFileSync(path.join(ui, 'assets', 'app-1234.js'), 'console.log(1)');
  // A secret next to the UI folder: no request may reach it.
  writeFileSync(path.join(tmp, 'secret.txt'), 'secret');
  ctx = createContext(path.join(tmp, 'data'));
  server = await startServer(ctx, { host: '127.0.0.1', port: 0, rendererDir: ui, token: 'test-token-0123456789' });
  auth = { Authorization: `Bearer ${server.token}` };
});

afterAll(async () => {
  await server.close();
  ctx.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('the HTTP transport keeps the contract', () => {
  for (const c of contractCases) {
    it(c.name, async () => {
      const { status, reply } = await overHttp(c.method, c.input);
      if ('ok' in c.expect) {
        expect(reply).toMatchObject({ ok: true });
        expect(status).toBe(200);
        return;
      }
      expect(reply.ok).toBe(false);
      if (reply.ok) return;
      expect(reply.error.code).toBe(c.expect.code);
      for (const word of c.expect.mentions) expect(reply.error.message).toContain(word);
      expect(status).toBe(httpStatus[c.expect.code]);
    });
  }

  it('has no folder dialog: app.pickFolder is unsupported (501) and app.info says so', async () => {
    const pick = await overHttp('app.pickFolder', {});
    expect(pick.status).toBe(501);
    expect(pick.reply).toMatchObject({ ok: false, error: { code: 'unsupported' } });
    const info = await overHttp('app.info', {});
    expect(info.reply).toMatchObject({ ok: true, result: { canPickFolder: false } });
  });

  it('a download server that cannot be reached is a 502 network_error naming the host, not a 500', async () => {
    // A port that was just free: nothing listens there, so the connection is refused.
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const saved = process.env.SMALLSET_MOBILENET_URL;
    process.env.SMALLSET_MOBILENET_URL = `http://127.0.0.1:${port}/model.json`;
    try {
      const r = await overHttp('backbones.download', { model: 'mobilenet-v2', name: 'offline' });
      expect(r.status).toBe(502);
      expect(r.reply).toMatchObject({ ok: false, error: { code: 'network_error' } });
      expect(r.reply.ok ? '' : r.reply.error.message).toMatch(new RegExp(`^Could not reach 127\\.0\\.0\\.1:${port}: connection refused`));
    } finally {
      if (saved === undefined) delete process.env.SMALLSET_MOBILENET_URL;
      else process.env.SMALLSET_MOBILENET_URL = saved;
    }
  });

  it('refuses a body that is not JSON, or too large, or sent as a form', async () => {
    const bad = await raw('/api/call/app.info', { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: '{nope' });
    expect(bad.status).toBe(400);
    expect(json(bad)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const form = await raw('/api/call/app.info', { method: 'POST', headers: { ...auth, 'Content-Type': 'text/plain' }, body: '{}' });
    expect(form.status).toBe(415);
    const big = await raw('/api/call/app.info', {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: Buffer.alloc(MAX_BODY_BYTES + 10, 0x20),
    }).catch((err: NodeJS.ErrnoException) => ({ status: err.code === 'EPIPE' || err.code === 'ECONNRESET' ? 413 : 0 }) as Raw);
    expect(big.status).toBe(413);
    const get = await raw('/api/call/app.info', { headers: auth });
    expect(get.status).toBe(405);
  });
});

describe('who may call', () => {
  it('needs the token: no credentials 401, a wrong bearer 401, a wrong token URL 403', async () => {
    expect((await post('app.info', {}, {})).status).toBe(401);
    expect((await post('app.info', {}, { Authorization: 'Bearer nope' })).status).toBe(401);
    expect((await raw('/', {})).status).toBe(401);
    expect((await raw('/media/thumb/1', {})).status).toBe(401);
    expect((await raw('/api/events', {})).status).toBe(401);
    expect((await raw('/?token=wrong', {})).status).toBe(403);
  });

  it('trades the token in the URL for an HttpOnly, SameSite=Strict cookie and drops it from the address', async () => {
    const landing = await raw(`/?token=${server.token}`);
    expect(landing.status).toBe(303);
    expect(landing.headers.location).toBe('/');
    const cookie = String(landing.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const pair = cookie.split(';')[0]!;
    const page = await raw('/', { headers: { Cookie: pair } });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    const call = await post('app.info', {}, { Cookie: pair });
    expect(call.status).toBe(200);
  });

  it('refuses other Host names (DNS rebinding) and other origins (CSRF)', async () => {
    expect((await post('app.info', {}, { ...auth, Host: `evil.example:${server.port}` })).status).toBe(403);
    expect((await post('app.info', {}, { ...auth, Host: `127.0.0.1:${server.port + 1}` })).status).toBe(403);
    expect((await post('app.info', {}, { ...auth, Origin: 'http://evil.example' })).status).toBe(403);
    expect((await post('app.info', {}, { ...auth, Origin: 'null' })).status).toBe(403);
    expect((await post('app.info', {}, { ...auth, 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    expect((await post('app.info', {}, { ...auth, Origin: `http://localhost:${server.port}`, Host: `localhost:${server.port}` })).status).toBe(200);
    expect((await post('app.info', {}, { ...auth, Origin: `http://127.0.0.1:${server.port}`, 'Sec-Fetch-Site': 'same-origin' })).status).toBe(200);
  });
});

describe('media and files', () => {
  let imageId: number;
  beforeAll(async () => {
    const sample = await overHttp('datasets.createSample', {});
    const datasetId = (sample.reply as { ok: true; result: ImportResult }).result.datasetId;
    const page = await overHttp('images.query', { datasetId, limit: 1 });
    imageId = (page.reply as { ok: true; result: { images: { id: number }[] } }).result.images[0]!.id;
  });

  it('serves a thumbnail and the original by library id, with validators for caching', async () => {
    const thumb = await raw(`/media/thumb/${imageId}`, { headers: auth });
    expect(thumb.status).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/jpeg');
    expect([...thumb.body.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect(thumb.headers['cache-control']).toContain('no-cache');
    const etag = thumb.headers.etag!;
    expect(etag).toBeTruthy();
    const again = await raw(`/media/thumb/${imageId}`, { headers: { ...auth, 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    const image = await raw(`/media/image/${imageId}`, { headers: auth });
    expect(image.status).toBe(200);
    expect(image.headers['content-type']).toBe('image/jpeg');
    expect(image.body[0]).toBe(0xff);
  });

  it('takes ids only: paths, traversal and unknown ids are refused', async () => {
    for (const p of ['/media/thumb/abc', '/media/thumb/0', '/media/thumb/1.5', '/media/thumb/%2e%2e%2fsecret.txt', '/media/image/-1']) {
      const r = await raw(p, { headers: auth });
      expect(r.status, p).toBe(400);
    }
    for (const p of ['/media/thumb/../../secret.txt', '/media/thumb/1/2', '/media/file/1', '/media/image/..%2f..%2fsecret.txt']) {
      const r = await raw(p, { headers: auth });
      expect([400, 404], p).toContain(r.status);
      expect(json(r), p).toMatchObject({ ok: false });
    }
    const missing = await raw('/media/thumb/987654', { headers: auth });
    expect(missing.status).toBe(404);
    expect(json(missing)).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('serves the UI folder and nothing outside it', async () => {
    const asset = await raw('/assets/app-1234.js', { headers: auth });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toContain('text/javascript');
    expect(asset.headers['cache-control']).toContain('immutable');
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/assets/%2e%2e%5c..%5csecret.txt', '/secret.txt', '/assets/']) {
      const r = await raw(p, { headers: auth });
      expect(r.status, p).toBe(404);
      expect(r.body.toString(), p).not.toBe('secret');
    }
  });
});

describe('events', () => {
  it('streams core events as server-sent events', async () => {
    const received = new Promise<string>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port: server.port, path: '/api/events', headers: auth }, (res) => {
        expect(res.headers['content-type']).toContain('text/event-stream');
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString();
          if (text.includes('event: library.changed')) {
            req.destroy();
            resolve(text);
          }
        });
        // Once subscribed, make a change the engine announces.
        setTimeout(() => ctx.events.emit('library.changed', { datasetId: 42 }), 50);
      });
      req.on('error', reject);
    });
    const text = await received;
    expect(text).toContain('event: library.changed\ndata: {"datasetId":42}\n\n');
  });
});

describe('events of work another client started', () => {
  it("a rescan one client starts is announced on another client's stream: running, then done", async () => {
    const listed = await overHttp('datasets.list', {});
    let datasetId = (listed.reply as { ok: true; result: { datasets: { id: number }[] } }).result.datasets[0]?.id;
    if (datasetId === undefined) datasetId = ((await overHttp('datasets.createSample', {})).reply as { ok: true; result: ImportResult }).result.datasetId;
    const statuses = new Promise<string[]>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port: server.port, path: '/api/events', headers: auth }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString();
          const seen = [...text.matchAll(/event: job\.status\ndata: (.*)\n\n/g)].map((m) => JSON.parse(m[1]!) as { jobId: string; kind: string; status: string });
          const mine = seen.filter((s) => s.jobId === 'rescan-by-another-client');
          if (mine.some((s) => s.status !== 'running')) {
            req.destroy();
            resolve(mine.map((s) => `${s.kind}:${s.status}`));
          }
        });
        // Subscribed: now a second client starts the work.
        setTimeout(() => void overHttp('datasets.rescan', { datasetId, jobId: 'rescan-by-another-client' }).catch(reject), 50);
      });
      req.on('error', reject);
    });
    expect(await statuses).toEqual(['rescan:running', 'rescan:done']);
  });
});
