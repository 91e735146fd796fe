import type { Migration } from '../migrate.js';

export const library: Migration = {
  version: 1,
  name: '0001-library',
  up(db) {
    db.exec(`
      CREATE TABLE datasets (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        root TEXT NOT NULL,
        split_config TEXT,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      );
      CREATE TABLE classes (
        id INTEGER PRIMARY KEY,
        dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        color TEXT NOT NULL,
        UNIQUE (dataset_id, name)
      );
      CREATE TABLE images (
        id INTEGER PRIMARY KEY,
        dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        rel_path TEXT NOT NULL,
        hash TEXT,
        size INTEGER NOT NULL DEFAULT 0,
        mtime REAL NOT NULL DEFAULT 0,
        width INTEGER,
        height INTEGER,
        format TEXT,
        orientation INTEGER,
        class_id INTEGER REFERENCES classes(id) ON DELETE SET NULL,
        split TEXT CHECK (split IN ('train', 'val', 'test')),
        split_source TEXT CHECK (split_source IN ('folder', 'assigned')),
        error TEXT,
        missing INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        UNIQUE (dataset_id, rel_path)
      );
      CREATE INDEX images_by_class ON images (dataset_id, class_id, id);
      CREATE INDEX images_by_split ON images (dataset_id, split, id);
      CREATE INDEX images_by_hash ON images (hash);
    `);
  },
};
