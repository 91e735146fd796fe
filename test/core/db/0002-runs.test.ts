import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src/core/db/migrate.js';
import { migrations } from '../../../src/core/db/migrations/index.js';

describe('migration 0002-runs', () => {
  it('adds runs with their epochs and results to a library that already has datasets', () => {
    const db = new Database(path.join(mkdtempSync(path.join(os.tmpdir(), 'smallset-mig2-')), 'library.db'));
    db.pragma('foreign_keys = ON');
    migrate(db, migrations, 1);
    db.prepare("INSERT INTO datasets (id, name, root) VALUES (1, 'd', '/tmp/d')").run();

    expect(migrate(db, migrations, 2)).toBe(2);
    db.prepare("INSERT INTO runs (id, dataset_id, arm, config, status, max_epochs) VALUES ('r1', 1, 'raw', '{}', 'queued', 3)").run();
    const row = db.prepare('SELECT comparison_id, repeat, backend, created_at FROM runs').get() as Record<string, unknown>;
    expect(row).toMatchObject({ comparison_id: null, repeat: null, backend: null });
    expect(row.created_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(() => db.prepare("UPDATE runs SET status = 'paused'").run()).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO runs (id, dataset_id, config, status, max_epochs) VALUES ('r2', 99, '{}', 'queued', 1)").run()).toThrow(/FOREIGN KEY/);

    const epoch = db.prepare('INSERT INTO run_epochs (run_id, epoch, loss, acc, val_loss, val_acc, seconds) VALUES (?, ?, ?, ?, ?, ?, ?)');
    epoch.run('r1', 1, 1.1, 0.4, null, null, 0.5);
    expect(() => epoch.run('r1', 1, 1, 1, 1, 1, 1)).toThrow(/UNIQUE|PRIMARY/);
    db.prepare("INSERT INTO run_results (run_id, metrics) VALUES ('r1', '{\"valAcc\":0.5}')").run();

    // A deleted dataset takes its runs, their curves and results along.
    db.prepare('DELETE FROM datasets WHERE id = 1').run();
    for (const table of ['runs', 'run_epochs', 'run_results']) {
      expect(db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get()).toEqual({ n: 0 });
    }
    db.close();
  });
});
