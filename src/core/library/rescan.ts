import { ApiError } from '../../shared/api/errors.js';
import type { RescanResult } from '../../shared/api/library.js';
import type { AppContext } from '../context.js';
import { updateQuality } from '../quality/update-quality.js';
import { getDataset } from './datasets.js';
import { columnsOf, dedupe, insertImages } from './image-rows.js';
import { measuresByHash, scanFiles, type ScannedFile } from './scan-files.js';
import { fillNewSplits } from './split-dataset.js';
import { pluck, stmt } from './statements.js';
import { removeThumbnail } from './thumbnails.js';
import { resolveRoot, walkFolder, type FoundFile } from './walk-folder.js';

interface KnownRow {
  id: number;
  rel_path: string;
  hash: string | null;
  size: number;
  mtime: number;
  missing: number;
  error: string | null;
}

/**
 * Brings a dataset up to date with its folder:
 * - new files are read and added (duplicates of present images are reported, not added);
 * - a file whose size or modification time changed is read again (new hash, metadata, thumbnail),
 *   keeping its label and split; files that had an error are retried;
 * - a file that disappeared while a new file with the same bytes appeared was moved: its row takes
 *   the new path and keeps its label and split;
 * - files that are gone are marked missing (their rows and labels stay, in case they come back).
 * Nothing is written until everything was read, so a cancelled rescan changes nothing.
 */
export async function rescanDataset(ctx: AppContext, opts: { datasetId: number; jobId?: string }): Promise<RescanResult> {
  return ctx.jobs.run('rescan', opts.jobId, async (job) => {
    const dataset = getDataset(ctx.db, opts.datasetId);
    let root: string;
    try {
      root = await resolveRoot(dataset.root);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'not_found') {
        // Never mark every image missing because a drive is not mounted.
        throw new ApiError('not_found', `The folder of dataset "${dataset.name}" (${dataset.root}) is not there: reconnect the drive or restore the folder, then rescan.`);
      }
      throw err;
    }

    job.progress({ phase: 'finding images', done: 0, total: null });
    const walk = await walkFolder(root, { signal: job.signal, onFound: (n) => job.progress({ phase: 'finding images', done: n, total: null }) });
    const rows = stmt(ctx.db, 'SELECT id, rel_path, hash, size, mtime, missing, error FROM images WHERE dataset_id = ?').all(dataset.id) as KnownRow[];
    const byPath = new Map(rows.map((r) => [r.rel_path, r]));

    const toRead: FoundFile[] = [];
    const returnedUnchanged: KnownRow[] = [];
    const seen = new Set<string>();
    for (const file of walk.files) {
      seen.add(file.relPath);
      const row = byPath.get(file.relPath);
      if (!row || row.error !== null || row.size !== file.size || row.mtime !== file.mtimeMs) toRead.push(file);
      else if (row.missing) returnedUnchanged.push(row);
    }
    const scanned = await scanFiles(toRead, ctx.paths.thumbs, job);
    job.throwIfCancelled();

    const reread: { row: KnownRow; scan: ScannedFile }[] = [];
    const newPaths: ScannedFile[] = [];
    for (const scan of scanned) {
      const row = byPath.get(scan.file.relPath);
      if (row) reread.push({ row, scan });
      else newPaths.push(scan);
    }

    // Rows whose file is gone, by hash: candidates for a move, otherwise marked missing.
    const gone = rows.filter((r) => !seen.has(r.rel_path));
    const goneByHash = new Map<string, KnownRow[]>();
    // Rows that vanished in this scan are matched before ones missing since an earlier scan.
    for (const r of [...gone.filter((g) => !g.missing), ...gone.filter((g) => g.missing)]) {
      if (r.hash === null) continue;
      goneByHash.set(r.hash, [...(goneByHash.get(r.hash) ?? []), r]);
    }
    const moves: { row: KnownRow; scan: ScannedFile }[] = [];
    const unmatched: ScannedFile[] = [];
    for (const scan of newPaths) {
      const candidates = scan.outcome.ok ? goneByHash.get(scan.outcome.facts.hash) : undefined;
      const row = candidates?.shift();
      if (row) moves.push({ row, scan });
      else unmatched.push(scan);
    }
    const movedIds = new Set(moves.map((m) => m.row.id));
    const removed = gone.filter((r) => !r.missing && !movedIds.has(r.id));

    // Duplicates are judged against what will be present after this rescan.
    const present = new Map<string, string>();
    const removedIds = new Set(removed.map((r) => r.id));
    for (const r of rows) if (!r.missing && !removedIds.has(r.id) && r.hash && r.error === null) present.set(r.hash, r.rel_path);
    for (const r of returnedUnchanged) if (r.hash && r.error === null) present.set(r.hash, r.rel_path);
    for (const { scan } of [...reread, ...moves]) if (scan.outcome.ok) present.set(scan.outcome.facts.hash, scan.file.relPath);
    const { fresh, duplicates } = dedupe(unmatched, present);

    const oldHashes = reread.map(({ row }) => row.hash).filter((h): h is string => h !== null);
    // A touched but identical file is not a change; a file that became readable (or broke) is.
    const changed = reread.filter(({ row, scan }) => {
      if (row.missing) return false;
      const now = columnsOf(scan);
      return now.hash !== row.hash || now.error !== row.error;
    });
    job.progress({ phase: 'saving', done: 0, total: 1 });
    ctx.db.transaction(() => {
      const update = stmt(
        ctx.db,
        `UPDATE images SET rel_path = @rel_path, hash = @hash, size = @size, mtime = @mtime, width = @width, height = @height,
           format = @format, orientation = @orientation, error = @error, missing = 0 WHERE id = @id`,
      );
      for (const { row, scan } of [...reread, ...moves]) update.run({ ...columnsOf(scan), id: row.id });
      const present = stmt(ctx.db, 'UPDATE images SET missing = 0 WHERE id = ?');
      for (const r of returnedUnchanged) present.run(r.id);
      const gone = stmt(ctx.db, 'UPDATE images SET missing = 1 WHERE id = ?');
      for (const r of removed) gone.run(r.id);
      insertImages(ctx.db, dataset.id, fresh);
      fillNewSplits(ctx.db, dataset.id);
    })();
    job.progress({ phase: 'saving', done: 1, total: 1 });
    await dropUnusedThumbnails(ctx, oldHashes);
    await updateQuality(ctx.db, ctx.paths.thumbs, dataset.id, { progress: job.progress, measured: measuresByHash(scanned) });
    ctx.events.emit('library.changed', { datasetId: dataset.id });

    const returned = reread.filter(({ row }) => row.missing).length + returnedUnchanged.length;
    return {
      datasetId: dataset.id,
      added: fresh.filter((s) => s.outcome.ok).length + returned,
      removed: removed.length,
      changed: changed.length,
      moved: moves.length,
      duplicates: duplicates.length,
      errors: [...walk.errors, ...scanned.flatMap((s) => (s.outcome.ok ? [] : [{ path: s.file.relPath, reason: s.outcome.reason }]))],
    };
  });
}

async function dropUnusedThumbnails(ctx: AppContext, hashes: readonly string[]): Promise<void> {
  const used = pluck(ctx.db, 'SELECT 1 FROM images WHERE hash = ? LIMIT 1');
  for (const hash of new Set(hashes)) {
    if (used.get(hash) === undefined) await removeThumbnail(ctx.paths.thumbs, hash);
  }
}
