import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { savedTinyCnn } from '../core/transfer/helpers.js';
import { writeTinyImages } from '../core/train/helpers/tiny-dataset.js';

const run = promisify(execFile);
const bin = path.resolve('bin/smallset');
let dir: string;

async function smallset(...args: string[]): Promise<{ code: number; json: Record<string, unknown>; stderr: string }> {
  try {
    const { stdout, stderr } = await run(bin, ['--data', path.join(dir, 'data'), '--json', ...args], { encoding: 'utf8' });
    return { code: 0, json: JSON.parse(stdout) as Record<string, unknown>, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, json: JSON.parse(e.stdout) as Record<string, unknown>, stderr: e.stderr };
  }
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'smallset-cli-backbone-'));
  await writeTinyImages(path.join(dir, 'tiny'), { splits: 'folders', perClass: 4 });
  expect((await smallset('import', path.join(dir, 'tiny'), '--name', 'tiny')).code).toBe(0);
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('smallset backbone', () => {
  it('adds a local TensorFlow.js folder, lists it, rejects an unknown download, and removes it', async () => {
    const folder = await savedTinyCnn();
    const added = await smallset('backbone', 'add', folder, '--name', 'tiny-cnn');
    expect(added.code).toBe(0);
    expect(added.json).toMatchObject({ name: 'tiny-cnn', inputSize: 16, preprocessing: 'unit', source: 'folder' });
    const listed = await smallset('backbone', 'list');
    expect((listed.json.backbones as { name: string }[]).map((b) => b.name)).toEqual(['tiny-cnn']);
    const unknown = await smallset('backbone', 'download', 'resnet-9000');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/downloadable: mobilenet-v2/);
    expect((await smallset('backbone', 'remove', 'tiny-cnn')).code).toBe(0);
  }, 180_000);

  it('compare --arms transfer needs a backbone that exists', async () => {
    const none = await smallset('compare', 'tiny', '--arms', 'transfer', '--epochs', '1', '--repeats', '1');
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/needs a backbone/);
    const missing = await smallset('compare', 'tiny', '--arms', 'transfer', '--backbone', 'nope', '--epochs', '1', '--repeats', '1');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no backbone named "nope"/);
  }, 180_000);
});
