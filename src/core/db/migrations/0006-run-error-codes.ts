import type { Migration } from '../migrate.js';

/** A failed run keeps why it failed as a code (out_of_memory, crashed, internal, …) beside its message. */
export const runErrorCodes: Migration = {
  version: 6,
  name: '0006-run-error-codes',
  up(db) {
    db.exec(`ALTER TABLE runs ADD COLUMN error_code TEXT;`);
  },
};
