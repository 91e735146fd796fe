import type { Migration } from '../migrate.js';

/**
 * A tiny colour layout per image (the mean colour of each cell of a 4 × 4 grid, as hex): two
 * images are near-duplicates only when their perceptual hashes are close and their colours sit in
 * the same places, so different pictures with the same composition (a disk in the middle of a
 * plain background, in other colours) no longer count. Rows measured before have none and are
 * measured again by the next quality update (MEASURES_VERSION 2).
 */
export const qualityColourLayout: Migration = {
  version: 11,
  name: '0011-quality-colour-layout',
  up(db) {
    db.exec('ALTER TABLE image_quality ADD COLUMN colour_layout TEXT;');
  },
};
