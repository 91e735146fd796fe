import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventName } from '../../../src/shared/api/events.js';
import { createContext } from '../../../src/core/context.js';
import { openDb, type Db } from '../../../src/core/db/open-db.js';
import { createClass, listClasses } from '../../../src/core/library/classes.js';
import { removeDataset, renameDataset } from '../../../src/core/library/datasets.js';
import { importFolder } from '../../../src/core/library/import-folder.js';
import { labelImages } from '../../../src/core/library/labels.js';
import { changedDatasets, datasetFingerprints, watchOutsideChanges } from '../../../src/core/library/outside-changes.js';
import { sandbox, writeTree, type Sandbox } from './fixtures.js';

const TICK_MS = 20;

let box: Sandbox;
/** A second connection to the same library file: what another process (the CLI in a terminal) has. */
let other: Db;
let datasetId: number;
let announced: number[];
let stop: () => void;

beforeEach(async () => {
  box = sandbox();
  await writeTree(box.at('pets'), ['cat/1.jpg', 'cat/2.jpg', 'dog/3.jpg', '4.jpg']);
  datasetId = (await importFolder(box.ctx, { path: box.at('pets') })).datasetId;
  other = openDb(box.ctx.paths.db);
  announced = [];
  box.ctx.events.onAny((event: EventName, payload) => {
    if (event === 'library.changed') announced.push((payload as { datasetId: number }).datasetId);
  });
  stop = watchOutsideChanges(box.ctx, TICK_MS);
});
afterEach(() => {
  stop();
  other.close();
  box.cleanup();
});

const imageId = (rel: string) => other.prepare('SELECT id FROM images WHERE rel_path = ?').pluck().get(rel) as number;
const classId = (name: string) => listClasses(other, datasetId).find((c) => c.name === name)!.id;
const ticks = (n: number) => new Promise((resolve) => setTimeout(resolve, n * TICK_MS));
async function announcedSoon(count: number): Promise<number[]> {
  for (let i = 0; i < 100 && announced.length < count; i++) await ticks(1);
  await ticks(3);
  return announced;
}

describe('library changes made by other processes', () => {
  it('announces a label another connection gave, once, and nothing while nothing changes', async () => {
    await ticks(5);
    expect(announced).toEqual([]);
    labelImages(other, [imageId('4.jpg')], classId('dog'));
    expect(await announcedSoon(1)).toEqual([datasetId]);
  });

  it('sees a label moved from one image to another, which keeps every count the same', async () => {
    const [cat1, dog3] = [imageId('cat/1.jpg'), imageId('dog/3.jpg')];
    other.transaction(() => {
      labelImages(other, [cat1], classId('dog'));
      labelImages(other, [dog3], classId('cat'));
    })();
    expect(await announcedSoon(1)).toEqual([datasetId]);
  });

  it('sees classes, splits, names, new datasets and removed ones', async () => {
    createClass(other, datasetId, 'bird');
    expect(await announcedSoon(1)).toEqual([datasetId]);
    other.prepare("UPDATE images SET split = 'val' WHERE id = ?").run(imageId('cat/2.jpg'));
    expect(await announcedSoon(2)).toEqual([datasetId, datasetId]);
    renameDataset(other, datasetId, 'Pets');
    expect(await announcedSoon(3)).toHaveLength(3);

    await writeTree(box.at('more'), ['a/1.jpg'], 50);
    // An import by another process: its own context on the same data folder.
    const elsewhere = createContext(box.ctx.dataDir);
    try {
      const added = (await importFolder(elsewhere, { path: box.at('more') })).datasetId;
      expect(await announcedSoon(4)).toEqual([datasetId, datasetId, datasetId, added]);
      await removeDataset(elsewhere.db, elsewhere.paths.thumbs, added);
      expect(await announcedSoon(5)).toEqual([datasetId, datasetId, datasetId, added, added]);
    } finally {
      elsewhere.close();
    }
  });

  it("stays quiet about this process's own changes and about commits that touch no dataset's images or classes", async () => {
    labelImages(box.ctx.db, [imageId('4.jpg')], classId('cat'));
    await ticks(5);
    expect(announced).toEqual([]);
    // A training process writing its progress, say: another connection commits, the library is as it was.
    other.prepare('INSERT INTO quality_settings (dataset_id, dup_threshold) VALUES (?, 6)').run(datasetId);
    await ticks(5);
    expect(announced).toEqual([]);
  });
});

describe('dataset fingerprints', () => {
  it('differ exactly for the datasets that changed', () => {
    const before = new Map([
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
    ]);
    const after = new Map([
      [1, 'a'],
      [2, 'B'],
      [4, 'd'],
    ]);
    expect(changedDatasets(before, after)).toEqual([2, 3, 4]);
  });

  it('move with an unlabeled image, an error or a file that changed size', () => {
    const db = box.ctx.db;
    const print = () => datasetFingerprints(db).get(datasetId);
    const start = print();
    db.prepare('UPDATE images SET class_id = NULL WHERE id = ?').run(imageId('cat/1.jpg'));
    const unlabeled = print();
    expect(unlabeled).not.toBe(start);
    db.prepare("UPDATE images SET error = 'unreadable' WHERE id = ?").run(imageId('cat/2.jpg'));
    expect(print()).not.toBe(unlabeled);
    const withError = print();
    db.prepare('UPDATE images SET size = size + 1 WHERE id = ?').run(imageId('dog/3.jpg'));
    expect(print()).not.toBe(withError);
  });
});
