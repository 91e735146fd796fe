import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src/core/db/migrate.js';
import { migrations } from '../../../src/core/db/migrations/index.js';

describe('migration 0005-pipelines', () => {
  it('adds the pipelines table to a library with data, names unique, timestamps filled in', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'smallset-mig5-'));
    const db = new Database(path.join(dir, 'library.db'));
    try {
      migrate(db, migrations, 4);
      db.prepare("INSERT INTO datasets (id, name, root) VALUES (1, 'd', '/tmp/d')").run();
      expect(migrate(db, migrations, 5)).toBe(5);
      db.prepare('INSERT INTO pipelines (name, json) VALUES (?, ?)').run('flip', '{"version":1,"ops":[{"op":"hflip"}]}');
      const row = db.prepare('SELECT name, json, created_at, updated_at FROM pipelines').get() as Record<string, string>;
      expect(row.name).toBe('flip');
      expect(row.created_at).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(row.updated_at).toBe(row.created_at);
      expect(() => db.prepare('INSERT INTO pipelines (name, json) VALUES (?, ?)').run('flip', '{}')).toThrow(/UNIQUE/);
      expect(db.prepare('SELECT COUNT(*) FROM datasets').pluck().get()).toBe(1);
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
