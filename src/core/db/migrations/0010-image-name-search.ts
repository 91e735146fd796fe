import type { Migration } from '../migrate.js';

/**
 * A trigram full-text index over image paths, so a file-name search of 3 or more characters reads
 * only the rows whose paths hold every trigram of the text instead of scanning every path. It
 * borrows its text from `images` (external content) and triggers keep it in step with every
 * insert, delete and change of `rel_path` (import, rescan moves and renames).
 */
export const imageNameSearch: Migration = {
  version: 10,
  name: '0010-image-name-search',
  up(db) {
    db.exec(`
      CREATE VIRTUAL TABLE images_path_fts USING fts5(
        rel_path, content = 'images', content_rowid = 'id', tokenize = 'trigram', detail = 'full'
      );
      INSERT INTO images_path_fts (images_path_fts) VALUES ('rebuild');
      CREATE TRIGGER images_path_fts_insert AFTER INSERT ON images BEGIN
        INSERT INTO images_path_fts (rowid, rel_path) VALUES (new.id, new.rel_path);
      END;
      CREATE TRIGGER images_path_fts_delete AFTER DELETE ON images BEGIN
        INSERT INTO images_path_fts (images_path_fts, rowid, rel_path) VALUES ('delete', old.id, old.rel_path);
      END;
      CREATE TRIGGER images_path_fts_update AFTER UPDATE OF rel_path ON images WHEN old.rel_path IS NOT new.rel_path BEGIN
        INSERT INTO images_path_fts (images_path_fts, rowid, rel_path) VALUES ('delete', old.id, old.rel_path);
        INSERT INTO images_path_fts (rowid, rel_path) VALUES (new.id, new.rel_path);
      END;
    `);
  },
};
