import type { Migration } from '../migrate.js';

/**
 * Comparisons and their queue: one row per planned run (arm × repeat × training fraction),
 * linked to the training run that carries it out. The owner columns let a restarted app tell
 * its own queue from another live process's and rerun what a dead process left running.
 */
export const comparisons: Migration = {
  version: 3,
  name: '0003-comparisons',
  up(db) {
    db.exec(`
      CREATE TABLE comparisons (
        id INTEGER PRIMARY KEY,
        dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        preset TEXT,
        config TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
        verdict TEXT,
        error TEXT,
        owner_pid INTEGER,
        owner_token TEXT,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        started_at TEXT,
        finished_at TEXT
      );
      CREATE INDEX comparisons_by_dataset ON comparisons (dataset_id, created_at);
      CREATE INDEX comparisons_by_status ON comparisons (status);
      CREATE TABLE comparison_runs (
        id INTEGER PRIMARY KEY,
        comparison_id INTEGER NOT NULL REFERENCES comparisons(id) ON DELETE CASCADE,
        arm_index INTEGER NOT NULL,
        arm TEXT NOT NULL,
        repeat INTEGER NOT NULL,
        fraction REAL NOT NULL,
        seed INTEGER NOT NULL,
        run_id TEXT REFERENCES runs(id) ON DELETE SET NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'done', 'failed', 'cancelled')),
        attempts INTEGER NOT NULL DEFAULT 0,
        error TEXT,
        UNIQUE (comparison_id, arm_index, repeat, fraction)
      );
      CREATE INDEX comparison_runs_by_status ON comparison_runs (comparison_id, status);
      CREATE INDEX comparison_runs_by_run ON comparison_runs (run_id);
    `);
  },
};
