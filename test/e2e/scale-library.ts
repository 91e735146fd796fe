import Database from 'better-sqlite3';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

/**
 * `count` distinct photo-like images (smooth colour fields with a bright blob, 192×144 PNG) in
 * `classes` class folders: thumbnails with realistic WebP sizes, not flat colours.
 */
export async function writeSeedImages(root: string, count: number, classes: readonly string[]): Promise<void> {
  const width = 192;
  const height = 144;
  for (const name of classes) mkdirSync(path.join(root, name), { recursive: true });
  for (let n = 0; n < count; n++) {
    const px = Buffer.alloc(width * height * 3);
    const cx = ((n * 37) % 100) / 100;
    const cy = ((n * 61) % 100) / 100;
    const hue = (n * 47) % 360;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const u = x / width;
        const v = y / height;
        const d = Math.hypot(u - cx, v - cy);
        const blob = Math.max(0, 1 - d * 4);
        const i = (y * width + x) * 3;
        px[i] = (128 + 100 * Math.sin(u * 6 + hue / 57) + 60 * blob) & 0xff;
        px[i + 1] = (110 + 90 * Math.cos(v * 5 + hue / 90) + 80 * blob) & 0xff;
        px[i + 2] = (120 + 80 * Math.sin((u + v) * 4 + n) + 40 * blob) & 0xff;
      }
    }
    const file = path.join(root, classes[n % classes.length]!, `seed_${String(n).padStart(4, '0')}.png`);
    writeFileSync(file, await sharp(px, { raw: { width, height, channels: 3 } }).png({ compressionLevel: 1 }).toBuffer());
  }
}

/**
 * Grows an imported dataset to `total` rows by copying its rows under new paths straight in SQLite
 * (one statement, a second or two): the copies share the originals' hashes, so their thumbnails
 * already exist and the grid loads them like any other. Importing 50,000 files would take minutes.
 * The copies' files do not exist, so a rescan would mark them missing; tests forget the dataset after.
 */
export function growDataset(dbFile: string, datasetId: number, total: number): number {
  const db = new Database(dbFile);
  try {
    db.pragma('busy_timeout = 10000');
    const seeds = (db.prepare('SELECT COUNT(*) AS n FROM images WHERE dataset_id = ?').get(datasetId) as { n: number }).n;
    if (seeds === 0) throw new Error(`dataset ${datasetId} has no images to copy`);
    const copies = Math.ceil((total - seeds) / seeds);
    const insert = db.prepare(`
      WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < @copies)
      INSERT INTO images (dataset_id, rel_path, hash, size, mtime, width, height, format, orientation, class_id, split, split_source, error)
      SELECT dataset_id, 'copy-' || printf('%05d', k.n) || '/' || rel_path, hash, size, mtime, width, height, format, orientation, class_id, split, split_source, error
      FROM images, k WHERE dataset_id = @datasetId AND rel_path NOT LIKE 'copy-%'
      ORDER BY k.n, images.id
      LIMIT @limit`);
    db.transaction(() => insert.run({ copies, datasetId, limit: total - seeds }))();
    return (db.prepare('SELECT COUNT(*) AS n FROM images WHERE dataset_id = ?').get(datasetId) as { n: number }).n;
  } finally {
    db.close();
  }
}

export interface FrameStats {
  frames: number;
  seconds: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Vsyncs (16.7 ms) that passed without a new frame, as a share of all vsyncs in the window. */
  droppedShare: number;
  longTasks: number;
  longTaskMs: number;
  scrolledPx: number;
}

/** Percentiles and dropped frames of rAF-to-rAF intervals (ms). */
export function frameStats(intervals: readonly number[], longTasks: readonly number[], scrolledPx: number): FrameStats {
  const sorted = [...intervals].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const vsync = 1000 / 60;
  const elapsed = intervals.reduce((a, b) => a + b, 0);
  const missed = intervals.reduce((s, dt) => s + Math.max(0, Math.round(dt / vsync) - 1), 0);
  const r = (x: number) => Math.round(x * 10) / 10;
  return {
    frames: intervals.length,
    seconds: r(elapsed / 1000),
    p50: r(at(0.5)),
    p95: r(at(0.95)),
    p99: r(at(0.99)),
    max: r(sorted[sorted.length - 1] ?? 0),
    droppedShare: Math.round((missed / Math.max(1, elapsed / vsync)) * 1000) / 1000,
    longTasks: longTasks.length,
    longTaskMs: Math.round(longTasks.reduce((a, b) => a + b, 0)),
    scrolledPx: Math.round(scrolledPx),
  };
}
