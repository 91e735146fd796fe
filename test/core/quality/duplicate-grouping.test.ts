import { afterEach, describe, expect, it } from 'vitest';
import { importFolder } from '../../../src/core/library/import-folder.js';
import { writeSampleDataset } from '../../../src/core/library/sample-dataset.js';
import { assignSplitsKeepingGroups, splitQuotas } from '../../../src/core/library/split-dataset.js';
import { layoutBytes, layoutsMatch } from '../../../src/core/quality/colour-layout.js';
import { duplicateGroups } from '../../../src/core/quality/duplicate-groups.js';
import { leakReport } from '../../../src/core/quality/leaks.js';
import { hamming } from '../../../src/core/quality/perceptual-hash.js';
import { DEFAULT_DUP_THRESHOLD } from '../../../src/core/quality/settings.js';
import { dispatch } from '../../../src/core/transport/dispatch.js';
import { sandbox, type Sandbox } from '../library/fixtures.js';

let box: Sandbox;
afterEach(() => box?.cleanup());

const T = DEFAULT_DUP_THRESHOLD;

/** `hash` (16 hex digits) with the given bits (0 = most significant) flipped. */
function flip(hash: string, bits: readonly number[]): string {
  let x = BigInt(`0x${hash}`);
  for (const b of bits) x ^= 1n << BigInt(63 - b);
  return x.toString(16).padStart(16, '0');
}

/** A 4 × 4 colour layout: every cell `rgb`, except the middle four cells `centre`. */
function layout(rgb: [number, number, number], centre = rgb): string {
  const hex = (c: readonly number[]) => c.map((v) => v.toString(16).padStart(2, '0')).join('');
  return Array.from({ length: 16 }, (_, k) => ([5, 6, 9, 10].includes(k) ? hex(centre) : hex(rgb))).join('');
}

const BASE = '9c3a5e71d2b4086f';

/** A dataset whose images carry the given measures, written straight into the library's tables. */
function library(images: { name: string; hash?: string; phash: string; layout?: string | null; split?: string }[]): number {
  box = sandbox('smallset-grouping-');
  const db = box.ctx.db;
  const datasetId = Number(db.prepare("INSERT INTO datasets (name, root) VALUES ('d', ?)").run(box.at('d')).lastInsertRowid);
  for (const im of images) {
    const bytes = im.hash ?? `sha-${im.name}`;
    const id = db.prepare('INSERT INTO images (dataset_id, rel_path, hash, split) VALUES (?, ?, ?, ?)').run(datasetId, `x/${im.name}.png`, bytes, im.split ?? null).lastInsertRowid;
    db.prepare(
      'INSERT INTO image_quality (image_id, hash, phash, phash_centre, colour_layout, brightness, sharpness, colourfulness, measures_version) VALUES (?, ?, ?, ?, ?, 128, 100, 40, 2)',
    ).run(id, bytes, im.phash, im.phash, im.layout === undefined ? layout([120, 80, 40]) : im.layout);
  }
  return datasetId;
}

const names = (datasetId: number) => duplicateGroups(box.ctx.db, datasetId, T).map((g) => g.members.map((m) => m.relPath.slice(2, -4)));

describe('near-duplicate grouping', () => {
  it('a chain A~B~C with A and C far apart is not one group (single linkage made it one)', () => {
    const b = flip(BASE, [0, 1, 2, 3, 4, 5, 6, 7]);
    const c = flip(b, [20, 21, 22, 23, 24, 25, 26, 27]);
    const d = flip(c, [40, 41, 42, 43, 44, 45, 46, 47]);
    expect([hamming(BASE, b), hamming(b, c), hamming(BASE, c), hamming(BASE, d)]).toEqual([8, 8, 16, 24]);
    const datasetId = library([
      { name: 'a', phash: BASE },
      { name: 'b', phash: b },
      { name: 'c', phash: c },
      { name: 'd', phash: d },
    ]);
    expect(names(datasetId)).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });

  it('closest pairs go together first, and a group is one where every two members are within the threshold', () => {
    const b = flip(BASE, [0, 1, 2, 3, 4, 5, 6, 7, 8]); // a–b 9 bits
    const c = flip(b, [30, 31]); // b–c 2 bits, a–c 11
    const e = flip(b, [50]); // b–e 1, c–e 3, a–e 10
    const datasetId = library([
      { name: 'a', phash: BASE },
      { name: 'b', phash: b },
      { name: 'c', phash: c },
      { name: 'e', phash: e },
    ]);
    // By image order a would take b (9 bits) and strand its closer copies; b, c, e are all within 3.
    expect(names(datasetId)).toEqual([['b', 'c', 'e']]);
    const [group] = duplicateGroups(box.ctx.db, datasetId, T);
    expect(group!.members.map((m) => m.distance)).toEqual([0, 2, 1]);
  });

  it('hash neighbours with other colours are different pictures; exact copies, brightened and tinted copies are not', () => {
    const near = flip(BASE, [3, 17, 40, 61]);
    const datasetId = library([
      { name: 'disk-red', phash: BASE, layout: layout([200, 200, 210], [150, 20, 30]) },
      { name: 'disk-olive', phash: near, layout: layout([190, 180, 220], [120, 120, 0]) },
      { name: 'photo', phash: flip(BASE, [8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29]), layout: layout([60, 90, 30], [220, 210, 40]) },
      { name: 'photo-brighter', phash: flip(BASE, [8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 33]), layout: layout([85, 115, 55], [245, 235, 65]) },
      { name: 'photo-copy', hash: 'same-bytes', phash: '0000000000000000', layout: null },
      { name: 'photo-copy-2', hash: 'same-bytes', phash: '0000000000000000', layout: null },
    ]);
    expect(layoutsMatch(layoutBytes(layout([200, 200, 210], [150, 20, 30])), layoutBytes(layout([190, 180, 220], [120, 120, 0])))).toBe(false);
    expect(names(datasetId)).toEqual([
      ['photo', 'photo-brighter'],
      ['photo-copy', 'photo-copy-2'],
    ]);
  });

  it('the leak guard uses the same groups: a split keeps each group whole and a chain does not drag its far end along', () => {
    const b = flip(BASE, [0, 1, 2, 3, 4, 5, 6, 7]);
    const c = flip(b, [20, 21, 22, 23, 24, 25, 26, 27]);
    const datasetId = library([
      { name: 'a', phash: BASE, split: 'train' },
      { name: 'b', phash: b, split: 'val' },
      { name: 'c', phash: c, split: 'test' },
    ]);
    const report = leakReport(box.ctx.db, datasetId, T);
    expect(report.groups.map((g) => g.members.map((m) => m.split))).toEqual([['train', 'val']]);
    expect(report.images).toBe(1);
  });

  it('keeping genuine groups whole does not drift the split ratios towards train', () => {
    let seed = 12345;
    const next = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed;
    };
    const random = () => (next().toString(16).padStart(8, '0') + next().toString(16).padStart(8, '0')).slice(0, 16);
    const images: { name: string; phash: string }[] = [];
    for (let p = 0; p < 20; p++) {
      const base = random();
      images.push({ name: `pair${p}`, phash: base }, { name: `pair${p}-copy`, phash: flip(base, [p % 64, (p * 7 + 3) % 64]) });
    }
    for (let u = 0; u < 60; u++) images.push({ name: `single${u}`, phash: random() });
    const datasetId = library(images);
    expect(duplicateGroups(box.ctx.db, datasetId, T)).toHaveLength(20);
    for (const s of [0, 1, 2, 3, 4]) {
      const { splits, movedForDuplicates } = assignSplitsKeepingGroups(box.ctx.db, datasetId, { train: 0.7, val: 0.15, test: 0.15, seed: s, keepFolderSplits: true });
      expect(leakReport(box.ctx.db, datasetId, T).groups, `seed ${s}`).toEqual([]);
      expect(movedForDuplicates, `seed ${s}`).toBeGreaterThan(0);
      // 70 / 15 / 15 of 100, give or take one pair.
      expect(Math.abs(splits.train! - 70), `seed ${s}: ${JSON.stringify(splits)}`).toBeLessThanOrEqual(2);
      expect(Math.abs(splits.val! - 15), `seed ${s}: ${JSON.stringify(splits)}`).toBeLessThanOrEqual(2);
      expect(Math.abs(splits.test! - 15), `seed ${s}: ${JSON.stringify(splits)}`).toBeLessThanOrEqual(2);
    }
  });

  it('a split kept together by the old chaining groups is redone when the same configuration is asked again; a current one is kept', () => {
    const datasetId = library(Array.from({ length: 40 }, (_, k) => ({ name: `img${k}`, phash: BASE })));
    box.ctx.db.prepare('DELETE FROM image_quality').run(); // unmeasured: no groups, the split is the seeded order alone
    const config = { train: 0.5, val: 0.25, test: 0.25, seed: 4, keepFolderSplits: true };
    const fresh = assignSplitsKeepingGroups(box.ctx.db, datasetId, config).splits;
    expect(fresh).toEqual({ train: 20, val: 10, test: 10 });
    const db = box.ctx.db;
    const moveFiveToTrain = () => db.prepare("UPDATE images SET split = 'train' WHERE id IN (SELECT id FROM images WHERE split != 'train' ORDER BY id LIMIT 5)").run();
    // Moves made by the current grouping stay: asking again only fills gaps.
    moveFiveToTrain();
    expect(assignSplitsKeepingGroups(db, datasetId, config).splits).toEqual({ train: 25, val: expect.any(Number), test: expect.any(Number) });
    // The same moves under a configuration stored by the old grouping (no version): split again.
    db.prepare('UPDATE datasets SET split_config = ? WHERE id = ?').run(JSON.stringify(config), datasetId);
    expect(assignSplitsKeepingGroups(db, datasetId, config).splits).toEqual(fresh);
  });

  it('the generated sample has no near-duplicate groups, and its seeded split keeps the requested ratios', async () => {
    box = sandbox('smallset-grouping-sample-');
    await writeSampleDataset(box.at('shapes'));
    const { datasetId } = await importFolder(box.ctx, { path: box.at('shapes'), name: 'shapes' });
    const issues = (await dispatch(box.ctx, 'quality.duplicates', { datasetId })) as { groups: unknown[] };
    expect(issues.groups).toEqual([]);
    const config = { train: 0.7, val: 0.15, test: 0.15, seed: 1, keepFolderSplits: true };
    const { splits, movedForDuplicates } = assignSplitsKeepingGroups(box.ctx.db, datasetId, config);
    expect(movedForDuplicates).toBe(0);
    // 40 per class: 28 / 6 / 6 in each of the 4 classes.
    const perClass = splitQuotas(40, config);
    expect(splits).toEqual({ train: 4 * perClass.train, val: 4 * perClass.val, test: 4 * perClass.test });
  });
});
