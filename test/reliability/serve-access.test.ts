import http from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type AppContext } from '../../src/core/context.js';
import { MAX_BODY_BYTES } from '../../src/cli/serve/api-routes.js';
import { nonLoopbackWarning } from '../../src/cli/serve/access.js';
import { startServer, type RunningServer } from '../../src/cli/serve/server.js';
import { registerServe } from '../../src/cli/commands/serve.js';

let tmp: string;
let ctx: AppContext;
let server: RunningServer;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'smallset-access-'));
  const ui = path.join(tmp, 'ui');
  mkdirSync(ui, { recursive: true });
  writeFileSync(path.join(ui, 'index.html'), '<!doctype html><title>ui</title>');
  ctx = createContext(path.join(tmp, 'data'));
  server = await startServer(ctx, { host: '127.0.0.1', port: 0, rendererDir: ui, token: 'access-token-0123456789' });
});

afterAll(async () => {
  await server.close();
  ctx.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** A body streamed in chunks with no Content-Length, so only counting the bytes can stop it. */
function chunkedPost(bytes: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        path: '/api/call/datasets.list',
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.token}`, 'Transfer-Encoding': 'chunked' },
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    const chunk = Buffer.alloc(256 * 1024, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent < bytes) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

describe('serve mode access', () => {
  it('listens on loopback unless told otherwise', () => {
    const program = new Command();
    registerServe(program);
    const serve = program.commands.find((c) => c.name() === 'serve')!;
    expect(serve.options.find((o) => o.long === '--host')?.defaultValue).toBe('127.0.0.1');
  });

  it('prints a loud warning for any non-loopback address, and none for loopback', () => {
    for (const host of ['127.0.0.1', 'localhost', '::1', '127.1.2.3']) expect(nonLoopbackWarning(host)).toBeNull();
    const wildcard = nonLoopbackWarning('0.0.0.0')!;
    expect(wildcard).toMatch(/WARNING: Smallset Studio listens on every network interface/);
    expect(wildcard).toMatch(/^\n!{20,}\n/);
    expect(nonLoopbackWarning('192.168.1.20')).toMatch(/listens on 192\.168\.1\.20: other machines can reach it/);
    expect(nonLoopbackWarning('::')).toMatch(/every network interface/);
  });

  it('answers 413 to a body over the limit even when it is streamed without a length', async () => {
    const r = await chunkedPost(MAX_BODY_BYTES + 1024 * 1024);
    expect(r.status).toBe(413);
    expect(r.body).toMatch(/larger than 8 MiB/);
  });
});
