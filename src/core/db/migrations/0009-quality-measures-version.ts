import type { Migration } from '../migrate.js';

/**
 * The version of the measuring code that produced each image_quality row. Rows from before carry
 * 0, so the next quality update (open, rescan, `quality.measure`) measures them again; a later
 * change to how images are measured bumps MEASURES_VERSION and the same happens.
 */
export const qualityMeasuresVersion: Migration = {
  version: 9,
  name: '0009-quality-measures-version',
  up(db) {
    db.exec('ALTER TABLE image_quality ADD COLUMN measures_version INTEGER NOT NULL DEFAULT 0;');
  },
};
