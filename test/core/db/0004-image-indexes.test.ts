import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src/core/db/migrate.js';
import { migrations } from '../../../src/core/db/migrations/index.js';

describe('migration 0004-image-indexes', () => {
  it('adds the paged-query indexes to a library that already holds images, keeping its rows', () => {
    const db = new Database(path.join(mkdtempSync(path.join(os.tmpdir(), 'smallset-mig4-')), 'library.db'));
    db.pragma('foreign_keys = ON');
    migrate(db, migrations, 3);
    db.prepare("INSERT INTO datasets (id, name, root) VALUES (1, 'd', '/tmp/d')").run();
    db.prepare("INSERT INTO classes (id, dataset_id, name, color) VALUES (1, 1, 'cat', '#4e79a7')").run();
    const insert = db.prepare("INSERT INTO images (dataset_id, rel_path, class_id, split, error, missing) VALUES (1, ?, ?, ?, ?, ?)");
    for (let i = 0; i < 50; i++) insert.run(`cat/${i}.jpg`, i % 2 ? 1 : null, i % 3 ? 'train' : 'val', i % 10 ? null : 'bad', i % 7 ? 0 : 1);

    expect(migrate(db, migrations, 4)).toBe(4);
    const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'images' AND name LIKE 'images_%'").pluck().all();
    expect(indexes).toEqual(expect.arrayContaining(['images_present', 'images_present_by_class', 'images_present_by_split', 'images_present_by_class_split', 'images_with_error', 'images_without_error', 'images_by_path']));
    expect(db.prepare('SELECT COUNT(*) FROM images').pluck().get()).toBe(50);
    // The partial index holds exactly the rows with an error.
    expect(db.prepare('SELECT COUNT(*) FROM images INDEXED BY images_with_error WHERE dataset_id = 1 AND missing = 0 AND error IS NOT NULL').pluck().get()).toBe(4);
    expect(db.prepare("SELECT COUNT(*) FROM images INDEXED BY images_present_by_class_split WHERE dataset_id = 1 AND missing = 0 AND class_id = 1 AND split = 'train'").pluck().get()).toBe(
      Array.from({ length: 50 }, (_, i) => i).filter((i) => i % 2 === 1 && i % 3 !== 0 && i % 7 !== 0).length,
    );
    db.close();
  });
});
