import { ApiError } from '../../shared/api/errors.js';
import type { Db } from '../db/open-db.js';
import { stmt } from '../library/statements.js';

/**
 * Default Hamming radius (of 64 bits) for near-duplicates: resized, re-encoded and slightly
 * cropped copies land within it; different photos are usually 20+ bits apart.
 */
export const DEFAULT_DUP_THRESHOLD = 10;
export const MAX_DUP_THRESHOLD = 24;

export function duplicateThreshold(db: Db, datasetId: number): number {
  const row = stmt(db, 'SELECT dup_threshold FROM quality_settings WHERE dataset_id = ?').get(datasetId) as { dup_threshold: number } | undefined;
  return row?.dup_threshold ?? DEFAULT_DUP_THRESHOLD;
}

export function setDuplicateThreshold(db: Db, datasetId: number, threshold: number): void {
  if (!Number.isInteger(threshold) || threshold < 0 || threshold > MAX_DUP_THRESHOLD) {
    throw new ApiError('invalid_input', `threshold: use a whole number of bits from 0 to ${MAX_DUP_THRESHOLD}, not ${threshold}.`);
  }
  stmt(db, 'INSERT INTO quality_settings (dataset_id, dup_threshold) VALUES (?, ?) ON CONFLICT (dataset_id) DO UPDATE SET dup_threshold = excluded.dup_threshold').run(
    datasetId,
    threshold,
  );
}
