import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../../src/core/db/migrate.js';
import { migrations } from '../../../src/core/db/migrations/index.js';
import { importFolder } from '../../../src/core/library/import-folder.js';
import { MEASURES_VERSION } from '../../../src/core/quality/measure-image.js';
import { dispatch } from '../../../src/core/transport/dispatch.js';
import { sandbox, type Sandbox } from '../library/fixtures.js';
import { save, scene } from './scenes.js';

let box: Sandbox;
afterEach(() => box?.cleanup());

interface Row {
  image_id: number;
  brightness: number;
  measures_version: number;
}
const rows = () => box.ctx.db.prepare('SELECT image_id, brightness, measures_version FROM image_quality ORDER BY image_id').all() as Row[];

/** Measured again: current version, and brightness back near the import's (a rescan measures the WebP thumbnail). */
function expectRemeasured(now: Row[], before: Row[]): void {
  expect(now.map((r) => [r.image_id, r.measures_version])).toEqual(before.map((r) => [r.image_id, MEASURES_VERSION]));
  now.forEach((r, i) => expect(Math.abs(r.brightness - before[i]!.brightness)).toBeLessThan(2));
}

describe('quality measures version', () => {
  it('migration 0009 marks rows measured before it as version 0', () => {
    box = sandbox('smallset-mig9-');
    const db = new Database(box.at('library.db'));
    try {
      migrate(db, migrations, 8);
      db.prepare("INSERT INTO datasets (id, name, root) VALUES (1, 'd', '/tmp/d')").run();
      db.prepare("INSERT INTO images (id, dataset_id, rel_path, hash) VALUES (1, 1, 'a/1.png', 'h1')").run();
      db.prepare("INSERT INTO image_quality (image_id, hash, phash, phash_centre, brightness, sharpness, colourfulness) VALUES (1, 'h1', '00ff00ff00ff00ff', '00ff00ff00ff00ff', 100, 50, 20)").run();
      expect(migrate(db, migrations, 9)).toBe(9);
      expect(db.prepare('SELECT measures_version FROM image_quality').pluck().get()).toBe(0);
    } finally {
      db.close();
    }
  });

  it('rows measured by an older version are measured again on rescan and by quality.measure; current ones are left alone', async () => {
    box = sandbox('smallset-measures-version-');
    for (let i = 0; i < 4; i++) save(box.at('d', 'x', `n${i}.png`), await scene(500 + i));
    const { datasetId } = await importFolder(box.ctx, { path: box.at('d') });
    const fresh = rows();
    expect(fresh).toHaveLength(4);
    expect(fresh.every((r) => r.measures_version === MEASURES_VERSION)).toBe(true);
    expect(await dispatch(box.ctx, 'quality.measure', { datasetId })).toEqual({ measured: 0 });

    // Two rows as an older measuring version left them (with figures that version got wrong).
    const [a, b] = fresh;
    box.ctx.db.prepare('UPDATE image_quality SET measures_version = ?, brightness = -1 WHERE image_id IN (?, ?)').run(MEASURES_VERSION - 1, a!.image_id, b!.image_id);
    await dispatch(box.ctx, 'datasets.rescan', { datasetId });
    const rescanned = rows();
    expectRemeasured(rescanned, fresh);
    // Untouched rows keep their figures exactly.
    expect(rescanned.slice(2)).toEqual(fresh.slice(2));

    box.ctx.db.prepare('UPDATE image_quality SET measures_version = 0, brightness = -1 WHERE image_id = ?').run(a!.image_id);
    expect(await dispatch(box.ctx, 'quality.measure', { datasetId })).toEqual({ measured: 1 });
    expectRemeasured(rows(), fresh);
  });
});
