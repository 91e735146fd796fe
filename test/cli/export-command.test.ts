import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliWorkspace } from './smallset-cli.js';

const { dir, smallset } = cliWorkspace('export');

beforeAll(async () => {
  await smallset('sample', path.join(dir, 'shapes'), '--classes', '2', '--per-class', '5', '--size', '48', '--seed', '1');
  await smallset('import', path.join(dir, 'shapes'), '--name', 'Shapes');
  writeFileSync(
    path.join(dir, 'pipeline.json'),
    JSON.stringify({ version: 1, ops: [{ op: 'hflip', p: 0.5 }, { op: 'random_resized_crop', width: 32, height: 32 }] }),
  );
});

describe('smallset export', () => {
  it('prints {"out","files","perClass","manifest","seconds"} with --json', async () => {
    const out = path.join(dir, 'out');
    const r = await smallset('export', 'Shapes', '--pipeline', path.join(dir, 'pipeline.json'), '--copies', '2', '--out', out, '--size', '32', '--seed', '3');
    expect(r.code).toBe(0);
    expect(Object.keys(r.json).sort()).toEqual(['files', 'manifest', 'out', 'perClass', 'seconds']);
    expect(r.json.out).toBe(out);
    expect(r.json.manifest).toBe(path.join(out, 'manifest.csv'));
    const perClass = r.json.perClass as Record<string, number>;
    expect(Object.values(perClass).reduce((a, b) => a + b, 0)).toBe(r.json.files);
    expect(readFileSync(r.json.manifest as string, 'utf8').trim().split('\n')).toHaveLength((r.json.files as number) + 1);
    expect(r.json.seconds).toBeGreaterThan(0);
  });

  it('fails with a one-line reason and a non-zero exit on a non-empty destination or bad option', async () => {
    const out = path.join(dir, 'out');
    const again = await smallset('export', 'Shapes', '--pipeline', path.join(dir, 'pipeline.json'), '--out', out);
    expect(again.code).toBe(1);
    expect(again.json).toMatchObject({ error: { code: 'conflict' } });
    expect(again.stderr).toMatch(/not empty.*--replace/);

    const bad = await smallset('export', 'Shapes', '--copies', '0', '--out', path.join(dir, 'x'), '--format', 'gif');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--format must be jpeg, png, webp/);
    expect(existsSync(path.join(dir, 'x'))).toBe(false);
  });

  it('writes a pipeline as JSON and Python with export-pipeline', async () => {
    const out = path.join(dir, 'code');
    const r = await smallset('export-pipeline', path.join(dir, 'pipeline.json'), '--out', out, '--formats', 'json,torchvision');
    expect(r.code).toBe(0);
    expect(r.json.files).toEqual([path.join(out, 'pipeline.json'), path.join(out, 'pipeline_torchvision.py')]);
    expect(readFileSync(path.join(out, 'pipeline_torchvision.py'), 'utf8')).toMatch(/RandomResizedCrop/);
  });
});
