import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { api } from '../../../src/shared/api/index.js';
import { createContext } from '../../../src/core/context.js';
import { importFolder } from '../../../src/core/library/import-folder.js';
import { tsxLoaderUrl } from '../../../src/core/train/tsx-paths.js';
import { fuzzCases, type FuzzCase } from './generate-input.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface FuzzFailure {
  method: string;
  kind: FuzzCase['kind'];
  input: string;
  problem: string;
}

export interface FuzzReport {
  methods: number;
  cases: number;
  byStatus: Record<string, number>;
  failures: FuzzFailure[];
  /** The server process was alive after the last case. */
  survived: boolean;
  slowestMs: number;
  seconds: number;
}

interface Reply {
  status: number;
  body: string;
}

function post(port: number, token: string, method: string, body: string, timeoutMs: number): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: `/api/call/${encodeURIComponent(method)}`,
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** What a well-behaved answer looks like; the problem in words otherwise. */
function judge(reply: Reply): string | null {
  let parsed: { ok?: unknown; error?: { code?: unknown; message?: unknown } };
  try {
    parsed = JSON.parse(reply.body) as typeof parsed;
  } catch {
    return `status ${reply.status} with a body that is not JSON: ${reply.body.slice(0, 200)}`;
  }
  if (reply.status === 200) return parsed.ok === true ? null : `200 without ok: true`;
  const message = parsed.error?.message;
  if (parsed.ok !== false || typeof message !== 'string' || message.trim().length < 10) return `status ${reply.status} without a clear error message`;
  // 501 is the one 5xx we mean: a host feature this front door does not have (the folder dialog).
  if (reply.status === 501 && parsed.error?.code === 'unsupported') return null;
  // A download that cannot reach its server is the network's failure, not the input's: 502, naming the host.
  if (reply.status === 502 && parsed.error?.code === 'network_error' && message.startsWith('Could not reach ')) return null;
  if (reply.status >= 500) return `status ${reply.status} (${String(parsed.error?.code)}): ${message.slice(0, 300)}`;
  if (reply.status < 400) return `unexpected status ${reply.status}`;
  return null;
}

async function seedLibrary(dataDir: string, imagesDir: string): Promise<void> {
  for (const [cls, colour] of [
    ['red', '#c03030'],
    ['blue', '#3040c0'],
  ] as const) {
    for (let k = 0; k < 3; k++) {
      const file = path.join(imagesDir, cls, `${k}.png`);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, await sharp({ create: { width: 16 + k, height: 16, channels: 3, background: colour } }).png().toBuffer());
    }
  }
  const ctx = createContext(dataDir);
  try {
    await importFolder(ctx, { path: imagesDir, name: 'seeded' });
  } finally {
    ctx.close();
  }
}

async function startChild(dataDir: string, uiDir: string, token: string, cwd: string): Promise<{ child: ChildProcess; port: number; stderr: () => string }> {
  const child = spawn(process.execPath, ['--import', tsxLoaderUrl(), path.join(here, 'serve-child.ts'), dataDir, uiDir, token], {
    cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
    // Downloads go to a closed local port: the fuzz never reaches the internet, and fails fast.
    env: { ...process.env, SMALLSET_MOBILENET_URL: 'http://127.0.0.1:9/model.json' },
  });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-20_000)));
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before listening: ${err}`)));
  });
  return { child, port: (JSON.parse(line) as { port: number }).port, stderr: () => err };
}

/**
 * Every contract method, `perMethod` seeded cases each, over HTTP against a server in its own
 * process, started in an empty temp folder (so relative paths in fuzzed input land there).
 */
export async function runFuzz(opts: { perMethod: number; seed: number; timeoutMs?: number; log?: (line: string) => void }): Promise<FuzzReport> {
  const started = performance.now();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'smallset-fuzz-'));
  const dataDir = path.join(dir, 'data');
  const uiDir = path.join(dir, 'ui');
  const cwd = path.join(dir, 'cwd');
  mkdirSync(uiDir, { recursive: true });
  mkdirSync(cwd, { recursive: true });
  writeFileSync(path.join(uiDir, 'index.html'), '<!doctype html><title>ui</title>');
  const token = 'fuzz-token-0123456789abcdef';
  let launched: Awaited<ReturnType<typeof startChild>>;
  try {
    await seedLibrary(dataDir, path.join(dir, 'images'));
    launched = await startChild(dataDir, uiDir, token, cwd);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const { child, port, stderr } = launched;
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let alive = true;
  void exited.then(() => (alive = false));

  const cases = fuzzCases(api, opts.perMethod, opts.seed);
  const byStatus: Record<string, number> = {};
  const failures: FuzzFailure[] = [];
  let slowestMs = 0;
  let survived = false;
  try {
    for (const [i, c] of cases.entries()) {
      if (!alive) {
        failures.push({ method: c.method, kind: c.kind, input: '', problem: `the server process died: ${stderr().slice(-2000)}` });
        break;
      }
      const body = JSON.stringify(c.input) ?? 'null';
      const t0 = performance.now();
      try {
        const reply = await post(port, token, c.method, body, opts.timeoutMs ?? 20_000);
        byStatus[reply.status] = (byStatus[reply.status] ?? 0) + 1;
        const problem = judge(reply);
        if (problem) failures.push({ method: c.method, kind: c.kind, input: body.slice(0, 500), problem });
      } catch (err) {
        byStatus.error = (byStatus.error ?? 0) + 1;
        failures.push({ method: c.method, kind: c.kind, input: body.slice(0, 500), problem: `no answer: ${(err as Error).message}` });
      }
      slowestMs = Math.max(slowestMs, performance.now() - t0);
      if (opts.log && i % 200 === 199) opts.log(`${i + 1}/${cases.length} cases, ${failures.length} failures`);
    }
    survived = alive;
  } finally {
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (alive) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    methods: Object.keys(api).length,
    cases: cases.length,
    byStatus,
    failures,
    survived,
    slowestMs: Math.round(slowestMs),
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
}
