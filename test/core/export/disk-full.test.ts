import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportDatasetInput } from '../../../src/shared/api/export.js';
import { exportDataset } from '../../../src/core/export/export-dataset.js';
import { exportSandbox, smallPipeline, type ExportSandbox } from './helpers.js';

let box: ExportSandbox;
let disk = '';
let mounted = false;

/** A real full disk: a 256 KiB tmpfs, which needs Linux and root; elsewhere the test is skipped. */
beforeAll(async () => {
  box = await exportSandbox({ 'train/cat': 4, 'train/dog': 4 });
  disk = box.at('small-disk');
  mkdirSync(disk);
  if (process.platform === 'linux' && process.getuid?.() === 0) {
    mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', disk]).status === 0;
  }
});
afterAll(() => {
  if (mounted) spawnSync('umount', [disk]);
  box.cleanup();
});

describe('export.dataset on a full disk', () => {
  it.runIf(process.platform === 'linux' && process.getuid?.() === 0)('stops with a clear error and leaves the disk as it was', async () => {
    expect(mounted).toBe(true);
    const before = box.ctx.db.prepare('SELECT id, hash, missing, error FROM images ORDER BY id').all();
    const err = await exportDataset(
      box.ctx,
      exportDatasetInput.parse({ datasetId: box.datasetId, pipeline: smallPipeline, copies: 200, format: 'png', size: 64, out: path.join(disk, 'out') }),
    ).then(
      () => null,
      (e: unknown) => e as { code: string; message: string },
    );
    expect(err).toMatchObject({ code: 'io_error', message: expect.stringMatching(/The disk is full: could not write/) });
    expect(readdirSync(disk)).toEqual([]);
    expect(box.ctx.db.prepare('SELECT id, hash, missing, error FROM images ORDER BY id').all()).toEqual(before);
  });
});
