import type { Migration } from '../migrate.js';

/**
 * A second perceptual hash per image, of its centre (the middle 85% of each side): comparing one
 * image's whole hash with another's centre hash finds cropped copies that whole-image hashes miss.
 * Rows measured before have none and are measured again by the next quality update.
 */
export const qualityCentreHash: Migration = {
  version: 8,
  name: '0008-quality-centre-hash',
  up(db) {
    db.exec('ALTER TABLE image_quality ADD COLUMN phash_centre TEXT;');
  },
};
