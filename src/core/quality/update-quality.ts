import path from 'node:path';
import type { Db } from '../db/open-db.js';
import type { ProgressSink } from '../jobs/job-registry.js';
import { mapPool } from '../library/pool.js';
import { stmt } from '../library/statements.js';
import { findThumbnail } from '../library/thumbnails.js';
import { AUDIT_LIMITS, auditFlags } from './audit-flags.js';
import { keepGroupsTogether } from './leaks.js';
import { MEASURES_VERSION, measureImage, type ImageMeasures } from './measure-image.js';

interface Pending {
  id: number;
  hash: string;
  rel_path: string;
  root: string;
}

/**
 * Measures every present, readable image of a dataset that has no measures for its current bytes
 * (new, changed, imported before this feature, or measured by an older MEASURES_VERSION): perceptual hash and audit figures from the
 * thumbnail (the original when the thumbnail is gone). Then recomputes the dataset's audit flags
 * and puts near-duplicate groups the app split apart back on one side. Unreadable thumbnails are
 * skipped (the image simply has no measures), never fatal.
 */
export interface UpdateQualityOptions {
  progress?: ProgressSink;
  /** Left out by import and rescan: their data is saved by then, so this step finishes. */
  signal?: AbortSignal;
  /** Measures already taken by hash (the import measures each thumbnail as it makes it). */
  measured?: ReadonlyMap<string, ImageMeasures>;
}

export async function updateQuality(db: Db, thumbsDir: string, datasetId: number, opts: UpdateQualityOptions = {}): Promise<{ measured: number }> {
  const pending = stmt(
    db,
    `SELECT i.id, i.hash, i.rel_path, d.root FROM images i JOIN datasets d ON d.id = i.dataset_id
       LEFT JOIN image_quality q ON q.image_id = i.id
      WHERE i.dataset_id = ? AND i.missing = 0 AND i.error IS NULL AND i.hash IS NOT NULL AND (q.image_id IS NULL OR q.hash != i.hash OR q.phash_centre IS NULL OR q.measures_version < ?)`,
  ).all(datasetId, MEASURES_VERSION) as Pending[];
  let done = 0;
  const phase = 'checking quality';
  opts.progress?.({ phase, done, total: pending.length });
  const measured = await mapPool(
    pending,
    4,
    async (p): Promise<[Pending, ImageMeasures | null]> => {
      let m: ImageMeasures | null = opts.measured?.get(p.hash) ?? null;
      if (!m) {
        try {
          const thumb = await findThumbnail(thumbsDir, p.hash);
          m = await measureImage(thumb ? thumb.path : path.join(p.root, ...p.rel_path.split('/')));
        } catch {
          m = null;
        }
      }
      opts.progress?.({ phase, done: ++done, total: pending.length });
      return [p, m];
    },
    opts.signal,
  );
  db.transaction(() => {
    const put = stmt(
      db,
      `INSERT OR REPLACE INTO image_quality (image_id, hash, phash, phash_centre, colour_layout, brightness, sharpness, colourfulness, flags, measures_version)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?)`,
    );
    for (const [p, m] of measured) {
      if (m) put.run(p.id, p.hash, m.phash, m.phashCentre, m.colourLayout, m.brightness, m.sharpness, m.colourfulness, MEASURES_VERSION);
    }
    refreshAuditFlags(db, datasetId);
    keepGroupsTogether(db, datasetId);
  })();
  return { measured: measured.filter(([, m]) => m !== null).length };
}

/** Recomputes the flags of a dataset's images (they depend on the dataset: median size, colour). */
export function refreshAuditFlags(db: Db, datasetId: number): void {
  const rows = stmt(
    db,
    `SELECT q.image_id AS id, q.brightness, q.sharpness, q.colourfulness, q.flags, i.width, i.height
       FROM image_quality q JOIN images i ON i.id = q.image_id WHERE i.dataset_id = ? AND i.missing = 0`,
  ).all(datasetId) as { id: number; brightness: number; sharpness: number; colourfulness: number; flags: number; width: number | null; height: number | null }[];
  if (!rows.length) return;
  const shorts = rows.flatMap((r) => (r.width && r.height ? [Math.min(r.width, r.height)] : [])).sort((a, b) => a - b);
  const medianShortSide = shorts.length ? shorts[Math.floor(shorts.length / 2)]! : 0;
  const colour = rows.filter((r) => r.colourfulness >= AUDIT_LIMITS.grey).length;
  const context = { medianShortSide, mostlyColour: colour * 2 > rows.length };
  const set = stmt(db, 'UPDATE image_quality SET flags = ? WHERE image_id = ?');
  for (const r of rows) {
    const flags = auditFlags(r, context);
    if (flags !== r.flags) set.run(flags, r.id);
  }
}
