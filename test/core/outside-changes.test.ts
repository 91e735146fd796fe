import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventName } from '../../src/shared/api/events.js';
import { createContext } from '../../src/core/context.js';
import { openDb, type Db } from '../../src/core/db/open-db.js';
import { createClass, listClasses } from '../../src/core/library/classes.js';
import { removeDataset, renameDataset } from '../../src/core/library/datasets.js';
import { importFolder } from '../../src/core/library/import-folder.js';
import { labelImages } from '../../src/core/library/labels.js';
import { changedDatasets, datasetFingerprints } from '../../src/core/library/dataset-fingerprints.js';
import { watchOutsideChanges } from '../../src/core/outside-changes.js';
import { comparisonConfig } from '../../src/shared/api/compare.js';
import { insertComparison } from '../../src/core/compare/store.js';
import { planRuns } from '../../src/core/compare/pairing.js';
import { sandbox, writeTree, type Sandbox } from './library/fixtures.js';

const TICK_MS = 20;

let box: Sandbox;
/** A second connection to the same library file: what another process (the CLI in a terminal) has. */
let other: Db;
let datasetId: number;
let announced: number[];
/** Every event of the context, in order. */
let heard: { event: EventName; payload: Record<string, unknown> }[];
let stop: () => void;

beforeEach(async () => {
  box = sandbox();
  await writeTree(box.at('pets'), ['cat/1.jpg', 'cat/2.jpg', 'dog/3.jpg', '4.jpg']);
  datasetId = (await importFolder(box.ctx, { path: box.at('pets') })).datasetId;
  other = openDb(box.ctx.paths.db);
  announced = [];
  heard = [];
  box.ctx.events.onAny((event: EventName, payload) => {
    heard.push({ event, payload: payload as Record<string, unknown> });
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

describe('training by other processes', () => {
  /** Another live process's pid: this test's parent (a run's owner is the process that queued it). */
  const elsewhere = process.ppid;
  const insertRun = (id: string, owner: number, comparisonId: number | null = null) =>
    other
      .prepare("INSERT INTO runs (id, dataset_id, comparison_id, config, status, max_epochs, owner_pid) VALUES (?, ?, ?, '{}', 'queued', 3, ?)")
      .run(id, datasetId, comparisonId, owner);
  const setStatus = (id: string, status: string) => other.prepare('UPDATE runs SET status = ? WHERE id = ?').run(status, id);
  const addEpoch = (id: string, epoch: number) =>
    other.prepare('INSERT INTO run_epochs (run_id, epoch, loss, acc, val_loss, val_acc, seconds) VALUES (?, ?, 0.5, 0.8, 0.6, 0.7, 1.5)').run(id, epoch);
  const trainingEvents = () => heard.filter((h) => h.event !== 'library.changed');
  async function heardSoon(count: number): Promise<typeof heard> {
    for (let i = 0; i < 100 && trainingEvents().length < count; i++) await ticks(1);
    await ticks(3);
    return trainingEvents();
  }

  it("turns a run's progress in the library file into the events this process's own runs send", async () => {
    insertRun('outside-1', elsewhere);
    expect(await heardSoon(1)).toEqual([
      { event: 'run.status', payload: { runId: 'outside-1', datasetId, comparisonId: null, status: 'queued', error: null, errorCode: null } },
    ]);
    setStatus('outside-1', 'running');
    addEpoch('outside-1', 1);
    addEpoch('outside-1', 2);
    const events = await heardSoon(4);
    expect(events.slice(1).map((h) => [h.event, h.payload.epoch ?? h.payload.status])).toEqual([
      ['run.epoch', 1],
      ['run.epoch', 2],
      ['run.status', 'running'],
    ]);
    expect(events[1]!.payload).toEqual({ runId: 'outside-1', epoch: 1, epochs: 3, loss: 0.5, acc: 0.8, valLoss: 0.6, valAcc: 0.7, seconds: 1.5 });
    addEpoch('outside-1', 3);
    setStatus('outside-1', 'done');
    expect((await heardSoon(6)).slice(4).map((h) => [h.event, h.payload.epoch ?? h.payload.status])).toEqual([
      ['run.epoch', 3],
      ['run.status', 'done'],
    ]);
    // Ended: no longer followed.
    other.prepare('UPDATE runs SET error = ? WHERE id = ?').run('late note', 'outside-1');
    await ticks(5);
    expect(trainingEvents()).toHaveLength(6);
  });

  it('ends a run whose program was killed mid-training, as the next start would', async () => {
    const gone = spawnSync(process.execPath, ['-e', '']).pid!;
    insertRun('orphan', gone);
    setStatus('orphan', 'running');
    const events = await heardSoon(2);
    expect(events.map((h) => h.payload.status)).toEqual(['running', 'failed']);
    expect(events[1]!.payload).toMatchObject({ runId: 'orphan', errorCode: 'interrupted' });
  });

  it("leaves this process's own runs alone: they announce themselves", async () => {
    insertRun('mine', process.pid);
    setStatus('mine', 'running');
    addEpoch('mine', 1);
    await ticks(5);
    expect(trainingEvents()).toEqual([]);
  });

  it('leaves a comparison another program has just queued, not yet claimed, to that program', async () => {
    const config = comparisonConfig.parse({ arms: [{ name: 'raw' }], baseline: 'raw', repeats: 1, fractions: [1], epochs: 2, size: 16, seed: 1, concurrency: 1 });
    const id = insertComparison(other, { datasetId, name: 'unclaimed', preset: null, config }, planRuns(config.arms, 1, [1], 1));
    expect(await heardSoon(1)).toEqual([{ event: 'compare.progress', payload: expect.objectContaining({ comparisonId: id, status: 'queued' }) }]);
    await ticks(5);
    expect(other.prepare('SELECT owner_pid FROM comparisons WHERE id = ?').pluck().get(id)).toBeNull();
  });

  it("follows another process's comparison as compare.progress, once per change", async () => {
    const config = comparisonConfig.parse({ arms: [{ name: 'raw' }, { name: 'aug' }], baseline: 'raw', repeats: 1, fractions: [1], epochs: 2, size: 16, seed: 1, concurrency: 1 });
    const id = insertComparison(other, { datasetId, name: 'elsewhere', preset: null, config }, planRuns(config.arms, 1, [1], 1));
    other.prepare("UPDATE comparisons SET status = 'running', owner_pid = ? WHERE id = ?").run(elsewhere, id);
    const first = await heardSoon(1);
    expect(first).toEqual([{ event: 'compare.progress', payload: expect.objectContaining({ comparisonId: id, status: 'running', total: 2, pending: 2, done: 0 }) }]);
    other.prepare("UPDATE comparison_runs SET status = 'done' WHERE comparison_id = ? AND arm = 'raw'").run(id);
    other.prepare("UPDATE comparisons SET status = 'done', verdict = 'aug helps' WHERE id = ?").run(id);
    const events = await heardSoon(2);
    expect(events[1]).toEqual({ event: 'compare.progress', payload: expect.objectContaining({ comparisonId: id, status: 'done', done: 1, pending: 1, verdict: 'aug helps' }) });
    other.prepare("UPDATE comparison_runs SET status = 'cancelled' WHERE comparison_id = ?").run(id);
    await ticks(5);
    expect(trainingEvents()).toHaveLength(2);
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
