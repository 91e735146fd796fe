import type { Migration } from '../migrate.js';

/** Training runs, their per-epoch curves and final metrics. JSON columns hold what is read back whole. */
export const runs: Migration = {
  version: 2,
  name: '0002-runs',
  up(db) {
    db.exec(`
      CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        comparison_id INTEGER,
        arm TEXT,
        repeat INTEGER,
        config TEXT NOT NULL,
        data TEXT,
        backend TEXT,
        status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
        error TEXT,
        max_epochs INTEGER NOT NULL,
        model_path TEXT,
        owner_pid INTEGER,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        started_at TEXT,
        finished_at TEXT
      );
      CREATE INDEX runs_by_dataset ON runs (dataset_id, created_at);
      CREATE INDEX runs_by_comparison ON runs (comparison_id);
      CREATE INDEX runs_by_status ON runs (status);
      CREATE TABLE run_epochs (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        epoch INTEGER NOT NULL,
        loss REAL,
        acc REAL,
        val_loss REAL,
        val_acc REAL,
        seconds REAL NOT NULL,
        PRIMARY KEY (run_id, epoch)
      );
      CREATE TABLE run_results (
        run_id TEXT PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
        metrics TEXT NOT NULL
      );
    `);
  },
};
