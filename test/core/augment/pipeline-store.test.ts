import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createContext } from '../../../src/core/context.js';
import { dispatch } from '../../../src/core/transport/dispatch.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'smallset-pipelines-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const pipeline = { version: 1, ops: [{ op: 'hflip', p: 0.5 }, { op: 'rotate', p: 1, degrees: [-30, 30], fill: 'reflect' }] };

describe('saved pipelines', () => {
  it('save, list, get and delete by name in a real SQLite file, surviving a reopen', async () => {
    const dir = tempDir();
    const ctx = createContext(dir);
    const saved = (await dispatch(ctx, 'pipelines.save', { name: 'flip+rotate', pipeline })) as { id: number; opCount: number };
    expect(saved.opCount).toBe(2);
    ctx.close();

    const again = createContext(dir);
    const list = (await dispatch(again, 'pipelines.list', {})) as { pipelines: { name: string }[] };
    expect(list.pipelines.map((p) => p.name)).toEqual(['flip+rotate']);
    const got = (await dispatch(again, 'pipelines.get', { name: 'flip+rotate' })) as { pipeline: unknown };
    expect(JSON.stringify(got.pipeline)).toBe(JSON.stringify(pipeline));
    expect(await dispatch(again, 'pipelines.delete', { name: 'flip+rotate' })).toEqual({ deleted: true });
    expect(await dispatch(again, 'pipelines.delete', { name: 'flip+rotate' })).toEqual({ deleted: false });
    await expect(dispatch(again, 'pipelines.get', { name: 'flip+rotate' })).rejects.toMatchObject({ code: 'not_found' });
    again.close();
  });

  it('overwrites by default, refuses when asked not to, and never stores an invalid pipeline', async () => {
    const ctx = createContext(tempDir());
    await dispatch(ctx, 'pipelines.save', { name: 'p', pipeline });
    const changed = { version: 1, ops: [{ op: 'vflip' }] };
    await dispatch(ctx, 'pipelines.save', { name: 'p', pipeline: changed });
    expect(((await dispatch(ctx, 'pipelines.get', { name: 'p' })) as { pipeline: unknown }).pipeline).toEqual(changed);
    await expect(dispatch(ctx, 'pipelines.save', { name: 'p', pipeline, overwrite: false })).rejects.toMatchObject({ code: 'conflict' });
    await expect(
      dispatch(ctx, 'pipelines.save', { name: 'bad', pipeline: { version: 1, ops: [{ op: 'rotate', degrees: [0, 400] }] } }),
    ).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('ops[0] (rotate), field "degrees.1"') });
    expect(((await dispatch(ctx, 'pipelines.list', {})) as { pipelines: unknown[] }).pipelines).toHaveLength(1);
    ctx.close();
  });

  it('imports and exports pipeline files, naming the file when it is wrong', async () => {
    const dir = tempDir();
    const ctx = createContext(path.join(dir, 'data'));
    const file = path.join(dir, 'my-aug.json');
    writeFileSync(file, JSON.stringify(pipeline));
    const imported = (await dispatch(ctx, 'pipelines.importFile', { path: file })) as { name: string };
    expect(imported.name).toBe('my-aug');
    const out = path.join(dir, 'out.json');
    await dispatch(ctx, 'pipelines.exportFile', { name: 'my-aug', path: out });
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(pipeline);

    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '{"version": 1, "ops": [');
    await expect(dispatch(ctx, 'pipelines.importFile', { path: broken })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining(broken),
    });
    await expect(dispatch(ctx, 'pipelines.importFile', { path: path.join(dir, 'missing.json') })).rejects.toMatchObject({ code: 'not_found' });
    ctx.close();
  });
});
