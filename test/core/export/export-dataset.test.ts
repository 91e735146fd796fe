import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportDatasetInput, type ExportDatasetInput } from '../../../src/shared/api/export.js';
import { exportDataset, type ExportTuning } from '../../../src/core/export/export-dataset.js';
import type { ManifestRow } from '../../../src/core/export/manifest.js';
import { exportSandbox, listing, smallPipeline, type ExportSandbox } from './helpers.js';

let box: ExportSandbox;

function run(input: Omit<ExportDatasetInput, 'datasetId'>, tuning: ExportTuning = {}) {
  return exportDataset(box.ctx, exportDatasetInput.parse({ datasetId: box.datasetId, ...input }), tuning);
}

function readJsonl(file: string): ManifestRow[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as ManifestRow);
}

describe('export.dataset layouts', () => {
  beforeEach(async () => {
    box = await exportSandbox({ 'train/cat': 3, 'train/dog': 2, 'val/cat': 1, 'val/dog': 1 });
  });
  afterEach(() => box.cleanup());

  it('writes split/class/file with originals and copies, augmenting only the training split', async () => {
    const out = box.at('exports', 'folder');
    const r = await run({ pipeline: smallPipeline, copies: 2, out });
    expect(r.out).toBe(out);
    expect(r.files).toBe(5 * 3 + 2);
    expect(r.perSplit).toEqual({ train: { cat: 9, dog: 6 }, val: { cat: 1, dog: 1 } });
    expect(r.perClass).toEqual({ cat: 10, dog: 7 });
    for (const f of ['train/cat/img0.jpg', 'train/cat/img0_aug0.jpg', 'train/cat/img0_aug1.jpg', 'train/dog/img1_aug1.jpg', 'val/cat/img0.jpg']) {
      expect(existsSync(path.join(out, f)), f).toBe(true);
    }
    expect(existsSync(path.join(out, 'val/cat/img0_aug0.jpg'))).toBe(false);
    const meta = await sharp(path.join(out, 'train/cat/img0_aug0.jpg')).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 32, 32]);

    const rows = readJsonl(r.manifestJsonl);
    expect(rows).toHaveLength(r.files);
    const copy = rows.find((x) => x.file === 'train/dog/img1_aug1.jpg')!;
    expect(copy).toMatchObject({ class: 'dog', split: 'train', copy: 1, source: path.join(box.root, 'train', 'dog', 'img1.jpg') });
    expect(copy.sourceHash).toMatch(/^[0-9a-f]{40}$/);
    expect(copy.ops.map((o) => o.op)).toContain('random_resized_crop');
    expect(rows.find((x) => x.file === 'val/dog/img0.jpg')).toMatchObject({ copy: null, ops: [] });

    const csv = readFileSync(r.manifest, 'utf8').trim().split('\n');
    expect(csv[0]).toBe('file,class,split,copy,source,source_sha1,image_id,width,height,working_width,working_height,ops');
    expect(csv).toHaveLength(r.files + 1);
    const readme = readFileSync(r.readme, 'utf8');
    expect(readme).toContain('| cat | 9 | 1 | 10 |');
    expect(readme).toContain('"random_resized_crop"');
    expect(JSON.parse(readFileSync(path.join(out, 'pipeline.json'), 'utf8')).ops).toHaveLength(5);
    expect(listing(box.at('exports'))).toEqual(['folder']);
  });

  it('writes a flat folder with labels.csv, resized and in the asked format', async () => {
    const out = box.at('flat');
    const r = await run({ pipeline: smallPipeline, copies: 1, out, originals: false, layout: 'flat', size: 24, format: 'png', splits: ['train'] });
    expect(r.files).toBe(5);
    expect(r.skipped.otherSplits).toBe(2);
    const labels = readFileSync(path.join(out, 'labels.csv'), 'utf8').trim().split('\n');
    const rows = readJsonl(r.manifestJsonl);
    expect(labels).toEqual(['file,class,split', ...rows.map((x) => `${x.file},${x.class},${x.split}`)]);
    // cat/img0 and dog/img0 share a folder here, so both names carry the image id; img2 is unique.
    const names = rows.map((x) => ({ file: x.file, id: x.imageId, rel: x.sourceRelPath }));
    for (const n of names.filter((x) => /img[01]\.jpg$/.test(x.rel))) expect(n.file).toBe(`images/${path.posix.basename(n.rel, '.jpg')}_${n.id}_aug0.png`);
    expect(names.find((x) => x.rel.endsWith('img2.jpg'))!.file).toBe('images/img2_aug0.png');
    for (const line of labels.slice(1)) {
      const meta = await sharp(path.join(out, line.split(',')[0]!)).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['png', 24, 24]);
    }
  });

  it.runIf(existsSync('/usr/bin/python3'))('is read as it is by torchvision ImageFolder', async () => {
    const r = await run({ pipeline: smallPipeline, copies: 1, size: 32, out: box.at('tv') });
    const script = [
      'import sys, json',
      'from torchvision import datasets',
      "d = datasets.ImageFolder(sys.argv[1] + '/train')",
      'x, y = d[0]',
      "print(json.dumps({'classes': d.classes, 'n': len(d), 'size': list(x.size), 'label': y}))",
    ].join('\n');
    const py = spawnSync('/usr/bin/python3', ['-c', script, r.out], { encoding: 'utf8' });
    if (py.status !== 0 && /No module named/.test(py.stderr)) return;
    expect(py.status, py.stderr).toBe(0);
    expect(JSON.parse(py.stdout)).toEqual({ classes: ['cat', 'dog'], n: r.perSplit.train!.cat! + r.perSplit.train!.dog!, size: [32, 32], label: 0 });
  });
});
