import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src/core/db/migrate.js';
import { migrations } from '../../../src/core/db/migrations/index.js';

describe('migration 0010-image-name-search', () => {
  it('indexes the paths of a library that already holds images, then follows inserts, renames and deletes', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'smallset-mig10-'));
    const db = new Database(path.join(dir, 'library.db'));
    try {
      migrate(db, migrations, 9);
      db.prepare("INSERT INTO datasets (id, name, root) VALUES (1, 'd', '/tmp/d')").run();
      const insert = db.prepare('INSERT INTO images (dataset_id, rel_path) VALUES (1, ?)');
      for (const p of ['cat/Été_001.jpg', 'cat/hiver_002.jpg', 'dog/ÉTÉ-big.png']) insert.run(p);

      expect(migrate(db, migrations, 10)).toBe(10);
      const search = (text: string) =>
        db.prepare('SELECT rowid FROM images_path_fts WHERE images_path_fts MATCH ? ORDER BY rowid').pluck().all(`"${text}"`);
      expect(search('été')).toEqual([1, 3]);
      expect(search('HIVER')).toEqual([2]);

      insert.run('bird/été_new.jpg');
      db.prepare("UPDATE images SET rel_path = 'cat/printemps_002.jpg' WHERE id = 2").run();
      db.prepare('DELETE FROM images WHERE id = 1').run();
      expect(search('été')).toEqual([3, 4]);
      expect(search('hiver')).toEqual([]);
      expect(search('printemps')).toEqual([2]);
      // The index agrees with the table it reads from.
      db.prepare("INSERT INTO images_path_fts (images_path_fts) VALUES ('integrity-check')").run();
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
