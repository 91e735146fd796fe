import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { cliWorkspace } from './smallset-cli.js';

const { dir, smallset } = cliWorkspace('lib');

describe('library commands (./bin/smallset --json)', () => {
  it('sample → import → stats → ls → label → split → rescan', async () => {
    const shapes = path.join(dir, 'shapes');
    const sample = await smallset('sample', shapes, '--classes', '3', '--per-class', '6', '--size', '48', '--seed', '2');
    expect(sample.json).toEqual({ dir: shapes, classes: { circles: 6, squares: 6, triangles: 6 }, files: 18 });

    const imported = await smallset('import', shapes, '--name', 'Shapes');
    expect(imported.code).toBe(0);
    expect(imported.json).toMatchObject({ imported: 18, duplicates: 0, errors: [], classes: { circles: 6, squares: 6, triangles: 6 } });
    expect(Object.values(imported.json.splits as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(18);
    const datasetId = imported.json.datasetId as number;

    const stats = await smallset('stats', 'Shapes');
    expect(stats.json).toEqual({
      datasets: [expect.objectContaining({ id: datasetId, name: 'Shapes', root: shapes, images: 18, classes: imported.json.classes, splits: imported.json.splits, errors: 0 })],
    });

    const ls = await smallset('ls', String(datasetId), '--class', 'circles', '--limit', '4');
    const images = ls.json.images as { id: number; path: string; class: string; split: string }[];
    expect(images).toHaveLength(4);
    expect(Object.keys(images[0]!).sort()).toEqual(['class', 'id', 'path', 'split']);
    expect(images.every((i) => i.class === 'circles' && i.path.startsWith(path.join(shapes, 'circles')))).toBe(true);

    const labelled = await smallset('label', String(images[0]!.id), String(images[1]!.id), '--class', 'odd ones');
    expect(labelled.json).toMatchObject({ updated: 2, class: 'odd ones' });

    const split = await smallset('split', 'Shapes', '--train', '0.5', '--val', '0.25', '--test', '0.25', '--seed', '1');
    const splits = split.json.splits as Record<string, number>;
    expect(splits.train! + splits.val! + splits.test!).toBe(18);

    await sharp({ create: { width: 30, height: 30, channels: 3, background: '#123456' } }).png().toFile(path.join(shapes, 'squares', 'new.png'));
    const rescan = await smallset('rescan', 'Shapes');
    expect(rescan.json).toMatchObject({ datasetId, added: 1, removed: 0, changed: 0, moved: 0, errors: [] });
  }, 180_000);

  it('fails with a non-zero exit, one JSON error and a one-line reason', async () => {
    const missing = await smallset('ls', 'no-such-dataset');
    expect(missing.code).not.toBe(0);
    expect(missing.json).toEqual({ error: { code: 'not_found', message: expect.stringContaining('no-such-dataset') } });
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);

    const badSplit = await smallset('split', '1', '--train', '0.9', '--val', '0.9', '--test', '0');
    expect(badSplit.code).toBe(2);
    expect((badSplit.json.error as { message: string }).message).toMatch(/add up to 1/);
  }, 120_000);
});
