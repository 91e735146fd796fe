import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nearCopies, save, scene } from '../core/quality/scenes.js';

const run = promisify(execFile);
const bin = path.resolve('bin/smallset');
let dir: string;

async function smallset(...args: string[]): Promise<{ code: number; json: Record<string, unknown> }> {
  try {
    const { stdout } = await run(bin, ['--data', path.join(dir, 'data'), '--json', ...args], { encoding: 'utf8' });
    return { code: 0, json: JSON.parse(stdout) as Record<string, unknown> };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { code: e.code, json: JSON.parse(e.stdout) as Record<string, unknown> };
  }
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'smallset-cli-issues-'));
  // Two classes by brightness, and one picture copied from train into val (a leak).
  for (let i = 0; i < 8; i++) {
    save(path.join(dir, 'd', 'train', 'light', `${i}.png`), await sharp(await scene(300 + i, 48)).linear(0.3, 170).png().toBuffer());
    save(path.join(dir, 'd', 'train', 'dark', `${i}.png`), await sharp(await scene(400 + i, 48)).linear(0.3, 10).png().toBuffer());
  }
  const picture = await scene(7, 64);
  save(path.join(dir, 'd', 'train', 'light', 'photo.png'), picture);
  save(path.join(dir, 'd', 'val', 'light', 'photo-copy.jpg'), (await nearCopies(picture)).reencoded);
  expect((await smallset('import', path.join(dir, 'd'), '--name', 'q')).code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('smallset issues', () => {
  it('--json prints exactly {duplicates, leaks, suspects}; --fix-leaks mends the split', async () => {
    const r = await smallset('issues', 'q', '--folds', '2', '--epochs', '2', '--size', '8', '--model', 'mlp');
    expect(r.code).toBe(0);
    expect(Object.keys(r.json).sort()).toEqual(['duplicates', 'leaks', 'suspects']);
    const out = r.json as { duplicates: { images: { path: string; split: string }[] }[]; leaks: number; suspects: Record<string, unknown>[] };
    expect(out.leaks).toBe(1);
    expect(out.duplicates).toHaveLength(1);
    expect(out.duplicates[0]!.images.map((i) => i.path).sort()).toEqual(['train/light/photo.png', 'val/light/photo-copy.jpg']);
    for (const s of out.suspects) expect(Object.keys(s).sort()).toEqual(['given', 'id', 'score', 'suggested']);

    const fixed = await smallset('issues', 'q', '--no-mislabels', '--fix-leaks');
    expect(fixed.code).toBe(0);
    expect(fixed.json.leaks).toBe(0);
  }, 120_000);

  it('names a bad threshold and an unknown dataset', async () => {
    const bad = await smallset('issues', 'q', '--no-mislabels', '--threshold', '99');
    expect(bad.code).toBe(2);
    expect(JSON.stringify(bad.json)).toMatch(/--threshold/);
    const missing = await smallset('issues', 'nope', '--no-mislabels');
    expect(missing.code).toBe(1);
    expect((missing.json as { error: { message: string } }).error.message).toMatch(/^No dataset "nope"/);
  }, 90_000);
});
