import type { Migration } from '../migrate.js';

export const pipelines: Migration = {
  version: 5,
  name: '0005-pipelines',
  up(db) {
    db.exec(`
      CREATE TABLE pipelines (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        json TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      );
    `);
  },
};
