import type { Migration } from '../migrate.js';

/**
 * Indexes for paged image queries on large libraries. Every query filters on (dataset_id, missing)
 * and pages in id order; the rowid is the implicit last column of every index, so each of these
 * serves `ORDER BY id` without a sort. Error rows are rare, hence the partial indexes. The path
 * index also holds class and split so a text search is answered from the index alone.
 */
export const imageIndexes: Migration = {
  version: 4,
  name: '0004-image-indexes',
  up(db) {
    db.exec(`
      CREATE INDEX images_present ON images (dataset_id, missing);
      CREATE INDEX images_present_by_class ON images (dataset_id, missing, class_id);
      CREATE INDEX images_present_by_split ON images (dataset_id, missing, split);
      CREATE INDEX images_present_by_class_split ON images (dataset_id, missing, class_id, split);
      CREATE INDEX images_with_error ON images (dataset_id, missing) WHERE error IS NOT NULL;
      CREATE INDEX images_without_error ON images (dataset_id, missing) WHERE error IS NULL;
      CREATE INDEX images_by_path ON images (dataset_id, missing, rel_path, class_id, split);
    `);
  },
};
