import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportDatasetInput, type ExportDatasetInput } from '../../../src/shared/api/export.js';
import type { ApiError } from '../../../src/shared/api/errors.js';
import { exportDataset, type ExportTuning } from '../../../src/core/export/export-dataset.js';
import { exportSandbox, hashTree, listing, smallPipeline, writeImage, type ExportSandbox } from './helpers.js';

let box: ExportSandbox;

function run(input: Omit<ExportDatasetInput, 'datasetId'>, tuning: ExportTuning = {}) {
  return exportDataset(box.ctx, exportDatasetInput.parse({ datasetId: box.datasetId, ...input }), tuning);
}

async function failure(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e as ApiError,
  );
  if (!err) throw new Error('expected the export to fail');
  return err;
}

function imageRows() {
  return box.ctx.db.prepare('SELECT id, rel_path, hash, size, mtime, missing, error FROM images ORDER BY id').all();
}

describe('export.dataset safety', () => {
  beforeEach(async () => {
    box = await exportSandbox({ 'train/cat': 4, 'train/dog': 3, 'val/cat': 1 });
  });
  afterEach(() => box.cleanup());

  it.each([0, 2])('leaves nothing behind when cancelled mid-way (%i threads)', async (threads) => {
    const out = box.at('exports', 'cancelled');
    let cancelled = false;
    const stop = box.ctx.events.onAny((event, payload) => {
      const p = payload as { jobId: string; done: number };
      if (event === 'job.progress' && p.jobId === 'cancel-me' && p.done >= 3 && !cancelled) cancelled = box.ctx.jobs.cancel('cancel-me');
    });
    const err = await failure(run({ pipeline: smallPipeline, copies: 40, out, jobId: 'cancel-me' }, { threads }));
    stop();
    expect(cancelled).toBe(true);
    expect(err.code).toBe('cancelled');
    expect(listing(box.at('exports'))).toEqual([]);
  });

  it('refuses a source changed since import, removes its temp files and leaves the library as it was', async () => {
    const before = imageRows();
    const changed = path.join(box.root, 'train', 'dog', 'img2.jpg');
    await writeImage(changed, 999);
    const err = await failure(run({ pipeline: smallPipeline, copies: 2, out: box.at('exports', 'x') }));
    expect(err.code).toBe('conflict');
    expect(err.message).toContain(changed);
    expect(err.message).toMatch(/changed since it was imported/);
    expect(listing(box.at('exports'))).toEqual([]);
    expect(imageRows()).toEqual(before);
  });

  it('refuses a source that is gone with a clear error', async () => {
    const gone = path.join(box.root, 'train', 'cat', 'img1.jpg');
    rmSync(gone);
    const err = await failure(run({ pipeline: smallPipeline, copies: 1, out: box.at('exports', 'x') }, { threads: 2, inline: false }));
    expect(err.code).toBe('not_found');
    expect(err.message).toContain(gone);
    expect(listing(box.at('exports'))).toEqual([]);
  });

  it('refuses a non-empty destination unless asked to replace it', async () => {
    const out = box.at('busy');
    mkdirSync(out);
    writeFileSync(path.join(out, 'notes.txt'), 'mine');
    const err = await failure(run({ pipeline: smallPipeline, copies: 1, out }));
    expect(err.code).toBe('conflict');
    expect(err.message).toMatch(/not empty.*--replace/);
    expect(readFileSync(path.join(out, 'notes.txt'), 'utf8')).toBe('mine');

    const r = await run({ pipeline: smallPipeline, copies: 1, out, replace: true });
    expect(existsSync(path.join(out, 'notes.txt'))).toBe(false);
    expect(hashTree(out).size).toBe(r.files + 4);
    expect(listing(box.dir).filter((n) => n.startsWith('.'))).toEqual([]);

    mkdirSync(box.at('empty'));
    await expect(run({ pipeline: smallPipeline, copies: 1, out: box.at('empty') })).resolves.toMatchObject({ files: r.files });
  });

  it('refuses a destination inside a library folder, or one holding it', async () => {
    const inside = await failure(run({ pipeline: smallPipeline, copies: 1, out: path.join(box.root, 'train', 'augmented') }));
    expect(inside.code).toBe('invalid_input');
    expect(inside.message).toMatch(/inside the folder of dataset "photos"/);
    expect(existsSync(path.join(box.root, 'train', 'augmented'))).toBe(false);

    const around = await failure(run({ pipeline: smallPipeline, copies: 1, out: box.dir, replace: true }));
    expect(around.code).toBe('invalid_input');
    expect(around.message).toMatch(/holds the images of dataset "photos"/);
    expect(existsSync(path.join(box.root, 'train', 'cat', 'img0.jpg'))).toBe(true);
  });

  it('says a destination is not writable, and writes nothing', async () => {
    // Root ignores permission bits, so as root the test uses a place the kernel refuses to anyone.
    const isRoot = process.getuid?.() === 0;
    const locked = isRoot ? '/sys/smallset-export-test' : box.at('locked');
    if (!isRoot) {
      mkdirSync(locked);
      chmodSync(locked, 0o555);
    }
    try {
      const err = await failure(run({ pipeline: smallPipeline, copies: 1, out: path.join(locked, 'out') }));
      expect(err.code).toBe('io_error');
      expect(err.message).toMatch(/Permission denied/);
      expect(err.message).toContain(locked);
    } finally {
      if (!isRoot) chmodSync(locked, 0o755);
    }
    if (!isRoot) expect(listing(locked)).toEqual([]);
  });

  it('rejects options that ask for no files or copies without a pipeline', async () => {
    const none = await failure(run({ pipeline: smallPipeline, copies: 0, originals: false, splits: ['train'], out: box.at('none') }));
    expect(none.code).toBe('invalid_input');
    expect(none.message).toMatch(/Nothing to export/);
    const noPipeline = await failure(run({ copies: 2, out: box.at('none') }));
    expect(noPipeline.message).toMatch(/need a pipeline/);
    const badPipeline = await failure(run({ pipeline: { version: 1, ops: [{ op: 'rotat' }] }, out: box.at('none') }));
    expect(badPipeline.message).toMatch(/did you mean "rotate"/);
    expect(existsSync(box.at('none'))).toBe(false);
  });
});
