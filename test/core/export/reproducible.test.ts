import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { exportDatasetInput, type ExportDatasetInput } from '../../../src/shared/api/export.js';
import { applyOps } from '../../../src/core/augment/apply.js';
import { decodeImage } from '../../../src/core/augment/image-io.js';
import { exportDataset, type ExportTuning } from '../../../src/core/export/export-dataset.js';
import type { ManifestRow } from '../../../src/core/export/manifest.js';
import { endIdleThreads, idleThreadIds } from '../../../src/core/export/render-threads.js';
import { exportSandbox, hashTree, smallPipeline, type ExportSandbox } from './helpers.js';

let box: ExportSandbox;

function run(input: Omit<ExportDatasetInput, 'datasetId'>, tuning: ExportTuning = {}) {
  return exportDataset(box.ctx, exportDatasetInput.parse({ datasetId: box.datasetId, ...input }), tuning);
}

describe('export.dataset reproducibility', () => {
  beforeAll(async () => {
    box = await exportSandbox({ 'train/cat': 4, 'train/dog': 3, 'val/cat': 1, 'val/dog': 1 });
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    box.cleanup();
    await endIdleThreads();
  });

  it('gives byte-identical files on this thread and on worker threads', async () => {
    vi.stubEnv('SOURCE_DATE_EPOCH', '1700000000');
    const options = { pipeline: smallPipeline, copies: 3, seed: 7, balance: true };
    const a = await run({ ...options, out: box.at('a', 'export') }, { threads: 0 });
    const b = await run({ ...options, out: box.at('b', 'export') }, { threads: 2, inline: false });
    const ha = hashTree(a.out);
    const hb = hashTree(b.out);
    expect(ha.size).toBe(a.files + 4);
    expect([...hb.entries()]).toEqual([...ha.entries()]);
    expect(readFileSync(a.readme, 'utf8')).toContain('2023-11-14T22:13:20Z');

    // The threads stay up for the next export, which gets the same bytes from them.
    const kept = idleThreadIds();
    expect(kept).toHaveLength(2);
    const again = await run({ ...options, out: box.at('again', 'export') }, { threads: 2, inline: false });
    expect(idleThreadIds().sort()).toEqual([...kept].sort());
    expect([...hashTree(again.out).entries()]).toEqual([...ha.entries()]);

    const c = await run({ ...options, seed: 8, out: box.at('c', 'export') }, { threads: 0 });
    const hc = hashTree(c.out);
    expect(hc.get('train/cat/img0.jpg')).toBe(ha.get('train/cat/img0.jpg'));
    expect(hc.get('train/cat/img0_aug0.jpg')).not.toBe(ha.get('train/cat/img0_aug0.jpg'));
  });

  it('records ops whose parameters replay to the same pixels with applyOps', async () => {
    const r = await run({ pipeline: smallPipeline, copies: 2, format: 'png', out: box.at('replay') });
    const rows = readFileSync(r.manifestJsonl, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as ManifestRow);
    const copies = rows.filter((x) => x.copy !== null);
    expect(copies).toHaveLength(14);
    for (const row of copies) {
      const source = await decodeImage(row.source);
      expect({ width: source.width, height: source.height }).toEqual(row.working);
      const replayed = await applyOps(source, row.ops);
      const written = await sharp(path.join(r.out, row.file)).raw().toBuffer({ resolveWithObject: true });
      expect([written.info.width, written.info.height, written.info.channels]).toEqual([replayed.width, replayed.height, 3]);
      expect(Buffer.from(replayed.data).equals(written.data), row.file).toBe(true);
    }
  });

  it('gives minority classes more copies when balancing, so every class has as many files', async () => {
    const r = await run({ pipeline: smallPipeline, copies: 1, balance: true, out: box.at('balanced') });
    // Largest training class: 4 cats × (original + 1 copy) = 8 files; 3 dogs need 5 copies between them.
    expect(r.perSplit.train).toEqual({ cat: 8, dog: 8 });
    expect(r.perSplit.val).toEqual({ cat: 1, dog: 1 });
    const rows = readFileSync(r.manifestJsonl, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as ManifestRow);
    const dogCopies = rows.filter((x) => x.class === 'dog' && x.split === 'train' && x.copy !== null);
    const perImage = new Map<number, number>();
    for (const x of dogCopies) perImage.set(x.imageId, (perImage.get(x.imageId) ?? 0) + 1);
    expect([...perImage.values()].sort()).toEqual([1, 2, 2]);

    const plain = await run({ pipeline: smallPipeline, copies: 1, out: box.at('unbalanced') });
    expect(plain.perSplit.train).toEqual({ cat: 8, dog: 6 });
  });
});
