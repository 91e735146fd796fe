import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src/core/db/migrate.js';
import { migrations } from '../../../src/core/db/migrations/index.js';

describe('migration 0007-quality', () => {
  it('keeps existing images (none excluded) and adds quality tables that follow their images away', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'smallset-mig7-'));
    const db = new Database(path.join(dir, 'library.db'));
    db.pragma('foreign_keys = ON');
    try {
      migrate(db, migrations, 6);
      db.prepare("INSERT INTO datasets (id, name, root) VALUES (1, 'd', '/tmp/d')").run();
      db.prepare("INSERT INTO classes (id, dataset_id, name, color) VALUES (1, 1, 'a', '#000000'), (2, 1, 'b', '#ffffff')").run();
      db.prepare("INSERT INTO images (id, dataset_id, rel_path, hash, class_id) VALUES (1, 1, 'a/1.png', 'h1', 1), (2, 1, 'a/2.png', 'h2', 1)").run();
      expect(migrate(db, migrations, 7)).toBe(7);
      expect(db.prepare('SELECT SUM(excluded) FROM images').pluck().get()).toBe(0);
      db.prepare("INSERT INTO image_quality (image_id, hash, phash, brightness, sharpness, colourfulness) VALUES (1, 'h1', '00ff00ff00ff00ff', 100, 50, 20)").run();
      db.prepare('INSERT INTO label_suspects (image_id, dataset_id, given_class_id, suggested_class_id, score, self_confidence) VALUES (1, 1, 1, 2, 0.8, 0.1)').run();
      expect(db.prepare('SELECT status FROM label_suspects').pluck().get()).toBe('open');
      expect(() => db.prepare("UPDATE label_suspects SET status = 'maybe'").run()).toThrow(/CHECK/);
      db.prepare('DELETE FROM images WHERE id = 1').run();
      expect(db.prepare('SELECT COUNT(*) FROM image_quality').pluck().get()).toBe(0);
      expect(db.prepare('SELECT COUNT(*) FROM label_suspects').pluck().get()).toBe(0);
      expect(db.prepare('SELECT COUNT(*) FROM images').pluck().get()).toBe(1);
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
