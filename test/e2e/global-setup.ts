import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

/**
 * Starts `./bin/smallset serve --json --data <fresh dir> --port 0 --build` and hands its URL to the
 * tests (SMALLSET_E2E_URL). --build makes the UI under test the current source, not a stale build
 * (left out when SMALLSET_E2E_PREBUILT=1: `npm test` and `npm run test:e2e` have just run build:web).
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const root = path.resolve(import.meta.dirname, '../..');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'smallset-e2e-'));
  // `npm test` builds the UI just before (build:web) and says so; anything else rebuilds it here.
  const build = process.env.SMALLSET_E2E_PREBUILT === '1' ? [] : ['--build'];
  const server = spawn(path.join(root, 'bin', 'smallset'), ['serve', '--json', '--data', dataDir, '--port', '0', ...build], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  server.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const first = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`smallset serve did not start in 120 s:\n${stderr}`)), 120_000);
    createInterface({ input: server.stdout }).once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    server.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`smallset serve exited with ${code}:\n${stderr}`));
    });
  });
  const started = JSON.parse(first) as { url?: string; error?: { message: string } };
  if (!started.url) throw new Error(`smallset serve failed: ${started.error?.message ?? first}`);
  process.env.SMALLSET_E2E_URL = started.url;
  process.env.SMALLSET_E2E_DATA = dataDir;
  // Its pid lets a spec find (and kill) a training process it started, to test an interrupted run.
  process.env.SMALLSET_E2E_PID = String(server.pid);

  return async () => {
    await new Promise<void>((resolve) => {
      if (server.exitCode !== null) return resolve();
      server.once('exit', () => resolve());
      server.kill('SIGTERM');
    });
    rmSync(dataDir, { recursive: true, force: true });
  };
}
