import { afterEach, describe, expect, it } from 'vitest';
import { importFolder } from '../../../src/core/library/import-folder.js';
import { queryImages } from '../../../src/core/library/query-images.js';
import { assignSplits } from '../../../src/core/library/split-dataset.js';
import { duplicateGroups } from '../../../src/core/quality/duplicate-groups.js';
import { hamming } from '../../../src/core/quality/perceptual-hash.js';
import { leakReport, leakWarning } from '../../../src/core/quality/leaks.js';
import { DEFAULT_DUP_THRESHOLD } from '../../../src/core/quality/settings.js';
import { prepareRunData } from '../../../src/core/train/data/prepare-run-data.js';
import { trainConfig } from '../../../src/shared/api/train.js';
import { dispatch } from '../../../src/core/transport/dispatch.js';
import { sandbox, type Sandbox } from '../library/fixtures.js';
import { nearCopies, save, scene } from './scenes.js';

let box: Sandbox;
afterEach(() => box?.cleanup());

const BASES = 8;

/** class folders a/ and b/, each base picture with three near-copies under different names. */
async function plantDuplicates(root: string, layout: (cls: string, name: string, k: number) => string) {
  for (let b = 0; b < BASES; b++) {
    const cls = b % 2 ? 'a' : 'b';
    const original = await scene(100 + b);
    const copies = await nearCopies(original);
    save(`${root}/${layout(cls, `base${b}.png`, 0)}`, original);
    save(`${root}/${layout(cls, `base${b}-small.png`, 1)}`, copies.resized);
    save(`${root}/${layout(cls, `base${b}-reencoded.jpg`, 2)}`, copies.reencoded);
    save(`${root}/${layout(cls, `base${b}-crop.png`, 3)}`, copies.cropped);
  }
  for (let u = 0; u < 8; u++) save(`${root}/${layout(u % 2 ? 'a' : 'b', `unique${u}.png`, u)}`, await scene(500 + u));
}

function baseOf(relPath: string): string {
  return /(base\d+|unique\d+)/.exec(relPath)![1]!;
}

describe('near-duplicates', () => {
  it('groups resized, re-encoded and cropped copies with their original, and nothing else', async () => {
    box = sandbox('smallset-quality-');
    await plantDuplicates(box.at('d'), (cls, name) => `${cls}/${name}`);
    const { datasetId } = await importFolder(box.ctx, { path: box.at('d') });
    const groups = duplicateGroups(box.ctx.db, datasetId, DEFAULT_DUP_THRESHOLD);
    expect(groups).toHaveLength(BASES);
    for (const g of groups) {
      const bases = new Set(g.members.map((m) => baseOf(m.relPath)));
      expect(bases.size, JSON.stringify(g.members.map((m) => [m.relPath, m.distance]))).toBe(1);
      expect(g.members).toHaveLength(4);
    }
    // Different pictures are far apart, not just outside the threshold.
    const hashes = box.ctx.db.prepare("SELECT i.rel_path, q.phash FROM image_quality q JOIN images i ON i.id = q.image_id WHERE i.rel_path LIKE '%unique%' OR i.rel_path LIKE '%base_.png'").all() as { rel_path: string; phash: string }[];
    for (let i = 0; i < hashes.length; i++) for (let j = i + 1; j < hashes.length; j++) expect(hamming(hashes[i]!.phash, hashes[j]!.phash)).toBeGreaterThan(DEFAULT_DUP_THRESHOLD);
  });

  it('splits never separate a group, for any seed or fractions', async () => {
    box = sandbox('smallset-quality-');
    await plantDuplicates(box.at('d'), (cls, name) => `${cls}/${name}`);
    const { datasetId } = await importFolder(box.ctx, { path: box.at('d') });
    for (const [seed, train, val] of [[0, 0.7, 0.15], [1, 0.5, 0.25], [7, 0.34, 0.33], [3, 0.6, 0.4]] as const) {
      assignSplits(box.ctx.db, datasetId, { train, val, test: Math.max(0, 1 - train - val), seed, keepFolderSplits: true });
      for (const g of duplicateGroups(box.ctx.db, datasetId, DEFAULT_DUP_THRESHOLD)) {
        expect(new Set(g.members.map((m) => m.split)).size, `seed ${seed}`).toBe(1);
      }
      expect(leakReport(box.ctx.db, datasetId).groups).toHaveLength(0);
    }
  });

  it('reports a folder split that leaks and fixes it by moving each group to one side', async () => {
    box = sandbox('smallset-quality-');
    // ImageFolder layout: copies of the same picture under train/ and val/.
    await plantDuplicates(box.at('d'), (cls, name, k) => `${k % 2 ? 'val' : 'train'}/${cls}/${name}`);
    const { datasetId } = await importFolder(box.ctx, { path: box.at('d') });
    const before = leakReport(box.ctx.db, datasetId);
    expect(before.groups).toHaveLength(BASES);
    expect(before.images).toBe(BASES * 2);
    const summary = (await dispatch(box.ctx, 'quality.summary', { datasetId })) as { leakingGroups: number; leakingImages: number };
    expect(summary).toMatchObject({ leakingGroups: BASES, leakingImages: BASES * 2 });

    expect(leakWarning(box.ctx.db, datasetId)).toMatch(/^8 near-duplicate groups sit in more than one split \(16 images to move\)/);

    const fixed = (await dispatch(box.ctx, 'quality.fixLeaks', { datasetId })) as { moved: number };
    expect(fixed.moved).toBe(BASES * 2);
    expect(leakReport(box.ctx.db, datasetId).groups).toHaveLength(0);
    expect(leakWarning(box.ctx.db, datasetId)).toBeNull();
    // The unique pictures stayed where their folders put them.
    const uniques = box.ctx.db.prepare("SELECT rel_path, split FROM images WHERE rel_path LIKE '%unique%'").all() as { rel_path: string; split: string }[];
    for (const u of uniques) expect(u.split).toBe(u.rel_path.split('/')[0]);
  });

  it('a dropped image leaves training and export but stays on disk and in the library', async () => {
    box = sandbox('smallset-quality-');
    await plantDuplicates(box.at('d'), (cls, name) => `${cls}/${name}`);
    const { datasetId } = await importFolder(box.ctx, { path: box.at('d') });
    const group = duplicateGroups(box.ctx.db, datasetId, DEFAULT_DUP_THRESHOLD)[0]!;
    const drop = group.members.slice(1).map((m) => m.imageId);
    await dispatch(box.ctx, 'quality.setExcluded', { imageIds: drop, excluded: true });
    const run = prepareRunData(box.ctx.db, datasetId, trainConfig.parse({}));
    const used = new Set([...run.sets.train, ...run.sets.val, ...run.sets.test].map((s) => s.id));
    for (const id of drop) expect(used.has(id)).toBe(false);
    expect(used.has(group.members[0]!.imageId)).toBe(true);
    const listed = queryImages(box.ctx.db, { datasetId, excluded: true, offset: 0, limit: 50 });
    expect(listed.images.map((i) => i.id).sort()).toEqual([...drop].sort());
    expect(queryImages(box.ctx.db, { datasetId, offset: 0, limit: 100 }).total).toBe(BASES * 4 + 8);
  });
});
