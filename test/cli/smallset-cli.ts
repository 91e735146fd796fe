import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll } from 'vitest';

const run = promisify(execFile);
export const bin = path.resolve('bin/smallset');

export interface Ran {
  code: number;
  json: Record<string, unknown>;
  stderr: string;
}

export interface CliWorkspace {
  /** A fresh temporary folder, removed after the file's tests. */
  readonly dir: string;
  /** Runs `smallset --data <dir>/data --json …` and parses the one JSON document it prints. */
  smallset(...args: string[]): Promise<Ran>;
  /** Starts `smallset --data <dir>/data …`, presses Ctrl-C once stderr matches `ready`, and waits for the exit. */
  interrupt(args: string[], ready: RegExp): Promise<{ code: number | null; stderr: string }>;
  /** The library database, read-only; the caller closes it. */
  library(): Database.Database;
}

/** One temporary data folder per test file, and the ways its tests drive `bin/smallset`. */
export function cliWorkspace(name: string): CliWorkspace {
  const dir = mkdtempSync(path.join(os.tmpdir(), `smallset-cli-${name}-`));
  const data = path.join(dir, 'data');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    async smallset(...args) {
      try {
        const { stdout, stderr } = await run(bin, ['--data', data, '--json', ...args], { encoding: 'utf8' });
        return { code: 0, json: JSON.parse(stdout) as Record<string, unknown>, stderr };
      } catch (err) {
        const e = err as { code: number; stdout: string; stderr: string };
        return { code: e.code, json: JSON.parse(e.stdout) as Record<string, unknown>, stderr: e.stderr };
      }
    },
    async interrupt(args, ready) {
      const child = spawn(bin, ['--data', data, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      await new Promise<void>((resolve) => {
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          if (ready.test(stderr)) resolve();
        });
      });
      child.kill('SIGINT');
      const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      return { code, stderr };
    },
    library: () => new Database(path.join(data, 'library.db'), { readonly: true }),
  };
}
