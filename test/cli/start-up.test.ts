import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dir = mkdtempSync(path.join(os.tmpdir(), 'smallset-start-up-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let count = 0;
/** The modules a Node process started with these arguments (through tsx) loads, as paths relative to the checkout. */
async function modulesLoaded(args: string[]): Promise<{ stdout: string; modules: string[] }> {
  const log = path.join(dir, `imports-${count++}.txt`);
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--import', './test/cli/record-imports.mjs', ...args], {
    encoding: 'utf8',
    env: { ...process.env, SMALLSET_IMPORTS_LOG: log },
  });
  const root = `${path.resolve('.')}/`;
  const modules = [...new Set(readFileSync(log, 'utf8').trim().split('\n'))].map((url) => (url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname).replace(root, '') : url));
  return { stdout, modules };
}

const matching = (modules: string[], part: string) => modules.filter((m) => m.includes(part));

/** What loads heavily or belongs to other commands: none of it may load before it is needed. */
const ENGINES = ['node_modules/@tensorflow/', 'node_modules/sharp/', 'src/core/train/', 'src/core/augment/', 'src/core/export/', 'src/core/compare/', 'src/core/transfer/', 'src/cli/bench/index'];

describe('CLI start-up loads only what the command uses', () => {
  it('--version loads commander and the command declarations, no engine, schema or database', async () => {
    const { stdout, modules } = await modulesLoaded(['src/cli/index.ts', '--version']);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    for (const part of [...ENGINES, 'node_modules/zod/', 'node_modules/better-sqlite3/', 'src/core/services/', 'src/cli/actions/']) {
      expect(matching(modules, part), part).toEqual([]);
    }
  });

  it('stats opens the library and lists datasets without the training, augment or export engines', async () => {
    const { stdout, modules } = await modulesLoaded(['src/cli/index.ts', '--data', path.join(dir, 'data'), '--json', 'stats']);
    expect(JSON.parse(stdout)).toEqual({ datasets: [] });
    expect(matching(modules, 'node_modules/better-sqlite3/').length).toBeGreaterThan(0);
    for (const part of ENGINES) expect(matching(modules, part), part).toEqual([]);
  });

  it('a training process loads the training engine but not the CLI, the services or the database', async () => {
    const { modules } = await modulesLoaded(['--input-type=module', '--eval', "await import('./src/core/train/worker/run-training.ts'); await import('./src/core/train/worker/run-task.ts');"]);
    expect(matching(modules, 'node_modules/@tensorflow/tfjs/').length).toBeGreaterThan(0);
    for (const part of ['src/cli/', 'src/core/services/', 'src/core/transport/', 'node_modules/better-sqlite3/', 'node_modules/commander/']) {
      expect(matching(modules, part), part).toEqual([]);
    }
  });
});
