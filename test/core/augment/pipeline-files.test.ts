import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createContext } from '../../../src/core/context.js';
import { dispatch } from '../../../src/core/transport/dispatch.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'smallset-pipeline-files-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const pipeline = { version: 1, ops: [{ op: 'hflip', p: 0.5 }, { op: 'rotate', p: 1, degrees: [-30, 30], fill: 'reflect' }] };

describe('pipeline files opened and saved from the editor (nothing stored in the library)', () => {
  it('writes a checked pipeline and reads it back with its file name, leaving the saved list alone', async () => {
    const dir = tempDir();
    const ctx = createContext(path.join(dir, 'data'));
    const file = path.join(dir, 'mild aug.json');
    expect(await dispatch(ctx, 'pipelines.writeFile', { pipeline, path: file })).toEqual({ path: file });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(pipeline);
    expect(readFileSync(file, 'utf8').endsWith('}\n')).toBe(true);
    expect(await dispatch(ctx, 'pipelines.readFile', { path: file })).toEqual({ pipeline, name: 'mild aug' });
    expect(((await dispatch(ctx, 'pipelines.list', {})) as { pipelines: unknown[] }).pipelines).toEqual([]);
    ctx.close();
  });

  it('refuses an invalid pipeline before writing anything, and names the file that cannot be read or written', async () => {
    const dir = tempDir();
    const ctx = createContext(path.join(dir, 'data'));
    const target = path.join(dir, 'bad.json');
    await expect(
      dispatch(ctx, 'pipelines.writeFile', { pipeline: { version: 1, ops: [{ op: 'rotate', degrees: [0, 400] }] }, path: target }),
    ).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('ops[0] (rotate)') });
    expect(existsSync(target)).toBe(false);

    const blocked = path.join(dir, 'a-folder.json');
    mkdirSync(blocked);
    await expect(dispatch(ctx, 'pipelines.writeFile', { pipeline, path: blocked })).rejects.toMatchObject({
      code: 'io_error',
      message: expect.stringContaining(blocked),
    });
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '{"version": 1, "ops": [');
    await expect(dispatch(ctx, 'pipelines.readFile', { path: broken })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining(broken) });
    const unknownOp = path.join(dir, 'unknown.json');
    writeFileSync(unknownOp, JSON.stringify({ version: 1, ops: [{ op: 'teleport' }] }));
    await expect(dispatch(ctx, 'pipelines.readFile', { path: unknownOp })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('teleport') });
    await expect(dispatch(ctx, 'pipelines.readFile', { path: path.join(dir, 'missing.json') })).rejects.toMatchObject({ code: 'not_found' });
    ctx.close();
  });

  it('has no file dialogs without a desktop host, and uses the host when there is one', async () => {
    const dir = tempDir();
    const bare = createContext(path.join(dir, 'bare'));
    expect(await dispatch(bare, 'app.info', {})).toMatchObject({ canPickFile: false });
    await expect(dispatch(bare, 'app.pickFile', {})).rejects.toMatchObject({ code: 'unsupported' });
    await expect(dispatch(bare, 'app.pickSavePath', { defaultName: 'p.json' })).rejects.toMatchObject({ code: 'unsupported' });
    bare.close();

    const asked: unknown[] = [];
    const desktop = createContext(path.join(dir, 'desktop'), {
      host: {
        pickFile: async (o) => (asked.push(o), '/picked.json'),
        pickSavePath: async (o) => (asked.push(o), null),
      },
    });
    const filters = [{ name: 'Pipeline', extensions: ['json'] }];
    expect(await dispatch(desktop, 'app.info', {})).toMatchObject({ canPickFile: true });
    expect(await dispatch(desktop, 'app.pickFile', { title: 'Open a pipeline', filters })).toEqual({ path: '/picked.json' });
    expect(await dispatch(desktop, 'app.pickSavePath', { defaultName: 'mild.json', filters })).toEqual({ path: null });
    expect(asked).toEqual([
      { title: 'Open a pipeline', filters },
      { defaultName: 'mild.json', filters },
    ]);
    await expect(dispatch(desktop, 'app.pickFile', { filters: [{ name: 'Bad', extensions: ['.json'] }] })).rejects.toMatchObject({ code: 'invalid_input' });
    desktop.close();
  });
});
