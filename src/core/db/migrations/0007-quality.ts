import type { Migration } from '../migrate.js';

/**
 * Data quality: a perceptual hash and audit measures per image (keyed by the content hash they
 * were computed from, so a changed file is measured again), an "excluded from training" flag,
 * the per-dataset duplicate threshold, and the likely-mislabel review queue.
 */
export const quality: Migration = {
  version: 7,
  name: '0007-quality',
  up(db) {
    db.exec(`
      ALTER TABLE images ADD COLUMN excluded INTEGER NOT NULL DEFAULT 0;
      CREATE TABLE image_quality (
        image_id INTEGER PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
        hash TEXT NOT NULL,
        phash TEXT NOT NULL,
        brightness REAL NOT NULL,
        sharpness REAL NOT NULL,
        colourfulness REAL NOT NULL,
        flags INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE quality_settings (
        dataset_id INTEGER PRIMARY KEY REFERENCES datasets(id) ON DELETE CASCADE,
        dup_threshold INTEGER NOT NULL
      );
      CREATE TABLE label_suspects (
        image_id INTEGER PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
        dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        given_class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
        suggested_class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
        score REAL NOT NULL,
        self_confidence REAL NOT NULL,
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'kept', 'skipped')),
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      );
      CREATE INDEX label_suspects_by_dataset ON label_suspects (dataset_id, status, score);
    `);
  },
};
