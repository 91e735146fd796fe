import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/core/context.js';
import { runManager } from '../../src/core/train/run-manager.js';
import { dispatch } from '../../src/core/transport/dispatch.js';
import type { RunDetail, RunSummary } from '../../src/shared/api/train.js';

const CLI = path.resolve('bin/smallset');

let dir: string;
let images: string;
let data: string;
let hashesBefore: Map<string, string>;

function hashTree(root: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out.set(path.relative(root, file), createHash('sha256').update(readFileSync(file)).digest('hex'));
  }
  return out;
}

function cli(args: string[]): ChildProcess {
  return spawn(process.execPath, [CLI, '--data', data, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

function cliSync(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, '--data', data, '--json', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Polls until `ready()` holds, then SIGKILLs the process: no handler, no cleanup, like a power cut. */
async function killWhen(child: ChildProcess, ready: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-4000)));
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (child.exitCode !== null) throw new Error(`${what}: the process ended (${child.exitCode}) before the moment to kill it: ${err}`);
    if (Date.now() > deadline) throw new Error(`${what}: never reached the moment to kill it`);
    await new Promise((r) => setTimeout(r, 25));
  }
  child.kill('SIGKILL');
  await exited;
}

function childPids(pid: number): number[] {
  const r = spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' });
  return r.stdout.split('\n').map((s) => Number(s.trim())).filter((n) => n > 0);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Read-only peek at the library while another process writes it (WAL allows it). */
function peek<T>(sql: string): T | undefined {
  const file = path.join(data, 'library.db');
  if (!existsSync(file)) return undefined;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).get() as T | undefined;
  } catch {
    return undefined;
  } finally {
    db.close();
  }
}

function integrity(): string {
  const db = new Database(path.join(data, 'library.db'));
  try {
    return (db.pragma('integrity_check', { simple: true }) as string) + ' / fk:' + (db.pragma('foreign_key_check') as unknown[]).length;
  } finally {
    db.close();
  }
}

function count(dirPath: string): number {
  return existsSync(dirPath) ? readdirSync(dirPath, { recursive: true }).length : 0;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'smallset-crash-'));
  images = path.join(dir, 'images');
  data = path.join(dir, 'data');
  // Enough tiny files that an import takes a while: 2 classes × 150.
  for (const [c, cls] of ['red', 'blue'].entries()) {
    mkdirSync(path.join(images, cls), { recursive: true });
    for (let k = 0; k < 150; k++) {
      const bytes = await sharp({ create: { width: 16, height: 16, channels: 3, background: { r: c ? 20 : 200 + (k % 50), g: k % 256, b: (c ? 150 : 30) + Math.floor(k / 256) * 50 } } })
        .png()
        .toBuffer();
      writeFileSync(path.join(images, cls, `${k}.png`), bytes);
    }
  }
  hashesBefore = hashTree(images);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('kill -9 mid-work, then reopen', () => {
  it('during import: the library is intact and holds no half dataset; the import reruns', { timeout: 120_000 }, async () => {
    const child = cli(['import', images, '--name', 'colours']);
    // Mid-scan: thumbnails are being written, the dataset not yet.
    await killWhen(child, () => count(path.join(data, 'thumbs')) > 20, 'import');
    expect(integrity()).toBe('ok / fk:0');
    expect(peek<{ n: number }>('SELECT COUNT(*) AS n FROM images')?.n ?? 0).toBe(0);
    const again = cliSync(['import', images, '--name', 'colours']);
    expect(again.status, again.stderr).toBe(0);
    expect((JSON.parse(again.stdout) as { imported: number }).imported).toBe(300);
    expect(integrity()).toBe('ok / fk:0');
  });

  it('during training: the run is marked interrupted, no worker is left, and the run resumes after its last checkpoint', { timeout: 120_000 }, async () => {
    const child = cli(['train', 'colours', '--size', '16', '--epochs', '200', '--batch-size', '16']);
    let workers: number[] = [];
    await killWhen(
      child,
      () => {
        const n = peek<{ n: number }>("SELECT COUNT(*) AS n FROM run_epochs e JOIN runs r ON r.id = e.run_id WHERE r.status = 'running'")?.n ?? 0;
        const id = peek<{ id: string }>("SELECT id FROM runs WHERE status = 'running'")?.id;
        // Killed once an epoch is stored (an epoch is reported only after its checkpoint is written).
        const ready = n >= 1 && id !== undefined && existsSync(path.join(data, 'models', id, 'checkpoint.bin'));
        if (ready) workers = childPids(child.pid!);
        return ready;
      },
      'train',
      90_000,
    );
    // The worker notices its parent is gone and exits (it holds the IPC channel).
    const deadline = Date.now() + 10_000;
    while (workers.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(workers.filter(alive)).toEqual([]);
    expect(integrity()).toBe('ok / fk:0');

    const ctx = createContext(data);
    try {
      const { runs } = (await dispatch(ctx, 'runs.list', {})) as { runs: RunSummary[] };
      expect(runs).toHaveLength(1);
      expect(runs[0]!.status).toBe('failed');
      expect(runs[0]!.error).toMatch(/Interrupted/);
      expect(runs[0]!.epochsDone).toBeGreaterThanOrEqual(1);
      expect(runs[0]!.errorCode).toBe('interrupted');
      // Resume: it continues under its id after its last checkpoint (stopped again after one more epoch; 200 were asked).
      const runId = runs[0]!.id;
      const { fromEpoch } = (await dispatch(ctx, 'runs.resume', { runId })) as { fromEpoch: number };
      expect(fromEpoch).toBeGreaterThanOrEqual(2);
      await new Promise<void>((resolve) => {
        const off = ctx.events.onAny((event, payload) => {
          const p = payload as { runId: string; epoch: number };
          if (event === 'run.epoch' && p.runId === runId && p.epoch === fromEpoch) {
            off();
            void dispatch(ctx, 'train.cancel', { runId });
            resolve();
          }
        });
      });
      const run = await runManager(ctx).waitForRun(runId);
      expect(run.status).toBe('cancelled');
      const detail = (await dispatch(ctx, 'runs.get', { runId })) as RunDetail;
      expect(detail.epochs.map((e) => e.epoch)).toEqual(Array.from({ length: fromEpoch }, (_, i) => i + 1));
    } finally {
      ctx.close();
    }
    expect(integrity()).toBe('ok / fk:0');
  });

  it('during export: nothing appears at the destination; the export reruns and sweeps the leftovers', { timeout: 120_000 }, async () => {
    const out = path.join(dir, 'exports', 'colours');
    const parent = path.dirname(out);
    const child = cli(['export', 'colours', '--out', out, '--copies', '0', '--size', '16', '--format', 'png']);
    const staged = () => (existsSync(parent) ? readdirSync(parent).filter((n) => n.includes('smallset-tmp')) : []);
    await killWhen(child, () => staged().some((s) => count(path.join(parent, s)) > 30), 'export');
    expect(existsSync(out)).toBe(false);
    expect(integrity()).toBe('ok / fk:0');

    const again = cliSync(['export', 'colours', '--out', out, '--copies', '0', '--size', '16', '--format', 'png']);
    expect(again.status, again.stderr).toBe(0);
    expect((JSON.parse(again.stdout) as { files: number }).files).toBe(300);
    expect(readdirSync(parent)).toEqual(['colours']);
  });

  it('left every source image byte-identical', () => {
    expect(hashTree(images)).toEqual(hashesBefore);
  });
});
