import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src/core/db/migrate.js';
import { migrations } from '../../../src/core/db/migrations/index.js';

describe('migration 0003-comparisons', () => {
  it('adds comparisons and their queue next to existing runs, linked both ways', () => {
    const db = new Database(path.join(mkdtempSync(path.join(os.tmpdir(), 'smallset-mig3-')), 'library.db'));
    db.pragma('foreign_keys = ON');
    migrate(db, migrations, 2);
    db.prepare("INSERT INTO datasets (id, name, root) VALUES (1, 'd', '/tmp/d')").run();
    db.prepare("INSERT INTO runs (id, dataset_id, config, status, max_epochs) VALUES ('r1', 1, '{}', 'done', 2)").run();

    expect(migrate(db, migrations, 3)).toBe(3);
    db.prepare("INSERT INTO comparisons (id, dataset_id, name, config, status) VALUES (1, 1, 'c', '{}', 'queued')").run();
    const insert = db.prepare(
      "INSERT INTO comparison_runs (comparison_id, arm_index, arm, repeat, fraction, seed, run_id, status) VALUES (1, ?, 'raw', 0, 1, 42, ?, 'pending')",
    );
    insert.run(0, 'r1');
    expect(() => insert.run(0, null)).toThrow(/UNIQUE/);
    expect(() => db.prepare("UPDATE comparison_runs SET status = 'bogus'").run()).toThrow(/CHECK/);

    // Deleting a run keeps the queue row (the comparison can rerun it); deleting the dataset removes everything.
    db.prepare("DELETE FROM runs WHERE id = 'r1'").run();
    expect(db.prepare('SELECT run_id FROM comparison_runs').get()).toEqual({ run_id: null });
    db.prepare('DELETE FROM datasets WHERE id = 1').run();
    expect(db.prepare('SELECT COUNT(*) AS n FROM comparison_runs').get()).toEqual({ n: 0 });
    db.close();
  });
});
