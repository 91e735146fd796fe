import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src/core/db/migrate.js';
import { migrations } from '../../../src/core/db/migrations/index.js';

describe('migration 0006-run-error-codes', () => {
  it('adds runs.error_code to a library with runs, leaving existing rows without a code', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'smallset-mig6-'));
    const db = new Database(path.join(dir, 'library.db'));
    try {
      migrate(db, migrations, 5);
      db.prepare("INSERT INTO datasets (id, name, root) VALUES (1, 'd', '/tmp/d')").run();
      db.prepare("INSERT INTO runs (id, dataset_id, config, status, error, max_epochs) VALUES ('run-a', 1, '{}', 'failed', 'boom', 3)").run();
      expect(migrate(db, migrations, 6)).toBe(6);
      expect(db.prepare('SELECT status, error, error_code FROM runs').get()).toEqual({ status: 'failed', error: 'boom', error_code: null });
      db.prepare("UPDATE runs SET error_code = 'out_of_memory'").run();
      expect(db.prepare('SELECT error_code FROM runs').pluck().get()).toBe('out_of_memory');
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
