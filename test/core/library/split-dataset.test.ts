import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFolder } from '../../../src/core/library/import-folder.js';
import { rescanDataset } from '../../../src/core/library/rescan.js';
import { assignSplits, splitQuotas, type SplitConfig } from '../../../src/core/library/split-dataset.js';
import { sandbox, writeTree, type Sandbox } from './fixtures.js';

let box: Sandbox;
beforeEach(() => {
  box = sandbox();
});
afterEach(() => box.cleanup());

const config = (over: Partial<SplitConfig> = {}): SplitConfig => ({ train: 0.6, val: 0.2, test: 0.2, seed: 3, keepFolderSplits: true, ...over });

function splitsByPath(): Map<string, string | null> {
  const rows = box.ctx.db.prepare('SELECT rel_path, split FROM images ORDER BY rel_path').all() as { rel_path: string; split: string | null }[];
  return new Map(rows.map((r) => [r.rel_path, r.split]));
}

function perClass(): Record<string, Record<string, number>> {
  const rows = box.ctx.db
    .prepare("SELECT COALESCE(c.name, '(none)') AS cls, i.split, COUNT(*) AS n FROM images i LEFT JOIN classes c ON c.id = i.class_id GROUP BY cls, i.split")
    .all() as { cls: string; split: string; n: number }[];
  const out: Record<string, Record<string, number>> = {};
  for (const r of rows) (out[r.cls] ??= {})[r.split] = r.n;
  return out;
}

const files = (cls: string, from: number, to: number) => Array.from({ length: to - from }, (_, i) => `${cls}/${from + i}.jpg`);

describe('splitQuotas', () => {
  it('hands out exactly n by largest remainder', () => {
    expect(splitQuotas(10, { train: 0.7, val: 0.15, test: 0.15 })).toEqual({ train: 7, val: 2, test: 1 });
    expect(splitQuotas(5, { train: 0.7, val: 0.15, test: 0.15 })).toEqual({ train: 3, val: 1, test: 1 });
    expect(splitQuotas(1, { train: 0.7, val: 0.15, test: 0.15 })).toEqual({ train: 1, val: 0, test: 0 });
    expect(splitQuotas(7, { train: 1, val: 0, test: 0 })).toEqual({ train: 7, val: 0, test: 0 });
    for (let n = 0; n < 60; n++) {
      const q = splitQuotas(n, { train: 0.8, val: 0.1, test: 0.1 });
      expect(q.train + q.val + q.test).toBe(n);
    }
  });
});

describe('assignSplits', () => {
  it('stratifies each class (and the unlabeled) by the fractions', async () => {
    await writeTree(box.at('d'), [...files('a', 0, 20), ...files('b', 0, 10), ...files('c', 0, 5), '1.jpg', '2.jpg', '3.jpg', '4.jpg', '5.jpg']);
    const { datasetId } = await importFolder(box.ctx, { path: box.at('d') });
    const counts = assignSplits(box.ctx.db, datasetId, config());
    expect(counts).toEqual({ train: 24, val: 8, test: 8 });
    expect(perClass()).toEqual({
      a: { train: 12, val: 4, test: 4 },
      b: { train: 6, val: 2, test: 2 },
      c: { train: 3, val: 1, test: 1 },
      '(none)': { train: 3, val: 1, test: 1 },
    });
  });

  it('is seeded: the same seed gives the same split, another seed another', async () => {
    await writeTree(box.at('d'), [...files('a', 0, 30), ...files('b', 0, 30)]);
    const { datasetId } = await importFolder(box.ctx, { path: box.at('d') });
    assignSplits(box.ctx.db, datasetId, config({ seed: 1 }));
    const first = splitsByPath();
    assignSplits(box.ctx.db, datasetId, config({ seed: 2 }));
    const second = splitsByPath();
    assignSplits(box.ctx.db, datasetId, config({ seed: 1 }));
    expect(splitsByPath()).toEqual(first);
    expect(second).not.toEqual(first);
  });

  it('stays stable when images are added: old images keep their split, new ones fill each class to target', async () => {
    await writeTree(box.at('d'), [...files('a', 0, 30), ...files('b', 0, 15)]);
    const { datasetId } = await importFolder(box.ctx, { path: box.at('d') });
    assignSplits(box.ctx.db, datasetId, config());
    const before = splitsByPath();

    await writeTree(box.at('d'), [...files('a', 30, 45), ...files('b', 15, 30)], 500);
    await rescanDataset(box.ctx, { datasetId });
    const after = splitsByPath();
    for (const [rel, split] of before) expect(after.get(rel)).toBe(split);
    expect(perClass()).toEqual({ a: { train: 27, val: 9, test: 9 }, b: { train: 18, val: 6, test: 6 } });

    // Asking for the same split again does not reshuffle.
    assignSplits(box.ctx.db, datasetId, config());
    expect(splitsByPath()).toEqual(after);
  });

  it('keeps folder splits unless told otherwise, and can put them back', async () => {
    await writeTree(box.at('f'), [...files('train/a', 0, 8), ...files('test/a', 0, 2), ...files('a', 0, 10)]);
    const { datasetId } = await importFolder(box.ctx, { path: box.at('f') });
    assignSplits(box.ctx.db, datasetId, config({ train: 0.8, val: 0.2, test: 0 }));
    const kept = splitsByPath();
    for (const [rel, split] of kept) {
      if (rel.startsWith('train/')) expect(split).toBe('train');
      if (rel.startsWith('test/')) expect(split).toBe('test');
    }
    expect([...kept].filter(([rel]) => rel.startsWith('a/')).map(([, s]) => s).sort()).toEqual([...Array(8).fill('train'), 'val', 'val']);

    const all = assignSplits(box.ctx.db, datasetId, config({ train: 0.5, val: 0.5, test: 0, keepFolderSplits: false }));
    expect(all).toEqual({ train: 10, val: 10 });
    assignSplits(box.ctx.db, datasetId, config({ train: 0.8, val: 0.2, test: 0 }));
    expect(splitsByPath()).toEqual(kept);
  });
});
