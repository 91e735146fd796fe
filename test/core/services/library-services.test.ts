import { existsSync, readdirSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportResult } from '../../../src/shared/api/library.js';
import { dispatch } from '../../../src/core/transport/dispatch.js';
import { thumbPath } from '../../../src/core/library/thumbnails.js';
import { sandbox, writeTree, type Sandbox } from '../library/fixtures.js';

let box: Sandbox;
let changes: number[];
beforeEach(() => {
  box = sandbox();
  changes = [];
  box.ctx.events.onAny((name, payload) => {
    if (name === 'library.changed') changes.push((payload as { datasetId: number }).datasetId);
  });
});
afterEach(() => box.cleanup());

const call = (method: string, input: unknown) => dispatch(box.ctx, method, input);

describe('library services through dispatch', () => {
  it('creates the sample dataset in the data folder and imports it as "Sample shapes"', async () => {
    const result = (await call('datasets.createSample', {})) as ImportResult;
    expect(result.imported).toBe(160);
    expect(result.classes).toEqual({ circles: 40, squares: 40, triangles: 40, stripes: 40 });
    expect(readdirSync(box.ctx.paths.samples)).toEqual(['shapes']);
    const { datasets } = (await call('datasets.list', {})) as { datasets: { name: string; images: number; root: string }[] };
    expect(datasets).toEqual([expect.objectContaining({ name: 'Sample shapes', images: 160 })]);
    expect(changes).toEqual([result.datasetId]);
    await expect(call('datasets.createSample', {})).rejects.toMatchObject({ code: 'conflict' });
  });

  it('labels, undoes, renames and removes, announcing each change', async () => {
    await writeTree(box.at('p'), ['cat/1.jpg', 'cat/2.jpg', 'dog/3.jpg']);
    const { datasetId } = (await call('datasets.import', { path: box.at('p') })) as ImportResult;
    const bird = (await call('classes.create', { datasetId, name: '  bird ' })) as { id: number; name: string };
    expect(bird.name).toBe('bird');
    const { images } = (await call('images.query', { datasetId })) as { images: { id: number }[] };
    const labelled = (await call('images.label', { imageIds: images.map((i) => i.id), classId: bird.id })) as {
      previous: { imageId: number; classId: number | null }[];
    };
    expect(((await call('classes.list', { datasetId })) as { classes: { name: string; count: number }[] }).classes.map((c) => [c.name, c.count])).toEqual([
      ['bird', 3], ['cat', 0], ['dog', 0],
    ]);
    await call('images.restoreLabels', { labels: labelled.previous });
    const renamed = (await call('datasets.rename', { datasetId, name: 'Pets' })) as { name: string; classes: Record<string, number> };
    expect(renamed).toMatchObject({ name: 'Pets', classes: { bird: 0, cat: 2, dog: 1 } });
    const splits = (await call('splits.assign', { datasetId, train: 0.5, val: 0.5, test: 0, seed: 4 })) as { splits: Record<string, number> };
    expect(Object.values(splits.splits).reduce((a, b) => a + b, 0)).toBe(3);

    const hashes = box.ctx.db.prepare('SELECT hash FROM images').pluck().all() as string[];
    expect(await call('datasets.remove', { datasetId })).toEqual({ removed: true });
    expect(hashes.some((h) => existsSync(thumbPath(box.ctx.paths.thumbs, h)))).toBe(false);
    expect(existsSync(box.at('p', 'cat', '1.jpg'))).toBe(true);
    expect(changes.length).toBeGreaterThanOrEqual(6);
    expect(new Set(changes)).toEqual(new Set([datasetId]));
  });

  it('rejects bad input with errors that name the field', async () => {
    await expect(call('classes.create', { datasetId: 1, name: 'a/b' })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('name') });
    await expect(call('splits.assign', { datasetId: 1, train: 0.5, val: 0.2, test: 0.2 })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('add up to 1'),
    });
    await expect(call('images.query', { datasetId: 1 })).rejects.toMatchObject({ code: 'not_found' });
    await expect(call('datasets.import', { path: box.at('missing-folder') })).rejects.toMatchObject({ code: 'not_found' });
  });
});
