import path from 'node:path';
import { ApiError } from '../../shared/api/errors.js';
import type { ImportResult } from '../../shared/api/library.js';
import type { AppContext } from '../context.js';
import { updateQuality } from '../quality/update-quality.js';
import { datasetByName, datasetByRoot, datasetSummary, uniqueDatasetName } from './datasets.js';
import { dedupe, insertImages } from './image-rows.js';
import { measuresByHash, scanFiles } from './scan-files.js';
import { assignSplits, defaultSplitConfig } from './split-dataset.js';
import { stmt } from './statements.js';
import { resolveRoot, walkFolder } from './walk-folder.js';

export interface ImportOptions {
  path: string;
  name?: string;
  jobId?: string;
}

/**
 * Imports a folder as a new dataset: walk → read, hash and thumbnail every file (in parallel) →
 * one transaction that writes the dataset, its classes and images and splits them.
 *
 * Cancelling (or any failure) before that transaction leaves the library exactly as it was; only
 * thumbnails already made stay in the cache, where a later import of the same files reuses them.
 * Result paths are relative to the dataset folder.
 */
export async function importFolder(ctx: AppContext, opts: ImportOptions): Promise<ImportResult> {
  return ctx.jobs.run('import', opts.jobId, async (job) => {
    const started = performance.now();
    const root = await resolveRoot(opts.path);
    const claimName = () => {
      const existing = datasetByRoot(ctx.db, root);
      if (existing) {
        throw new ApiError('conflict', `The folder "${root}" is already in the library as "${existing.name}": rescan it instead of importing it again.`);
      }
      if (opts.name !== undefined && datasetByName(ctx.db, opts.name)) {
        throw new ApiError('conflict', `A dataset called "${opts.name}" already exists: choose another name.`);
      }
      return opts.name ?? uniqueDatasetName(ctx.db, path.basename(root) || root);
    };
    claimName();

    job.progress({ phase: 'finding images', done: 0, total: null });
    const walk = await walkFolder(root, {
      signal: job.signal,
      onFound: (n) => job.progress({ phase: 'finding images', done: n, total: null }),
    });
    const scanned = await scanFiles(walk.files, ctx.paths.thumbs, job);
    job.throwIfCancelled();
    const { fresh, duplicates } = dedupe(scanned, new Map());

    job.progress({ phase: 'saving', done: 0, total: 1 });
    const datasetId = ctx.db.transaction(() => {
      // Checked again: another import may have claimed the name or folder while we were reading.
      const name = claimName();
      const id = Number(stmt(ctx.db, 'INSERT INTO datasets (name, root) VALUES (?, ?)').run(name, root).lastInsertRowid);
      insertImages(ctx.db, id, fresh);
      assignSplits(ctx.db, id, defaultSplitConfig);
      return id;
    })();
    job.progress({ phase: 'saving', done: 1, total: 1 });
    await updateQuality(ctx.db, ctx.paths.thumbs, datasetId, { progress: job.progress, measured: measuresByHash(scanned) });
    ctx.events.emit('library.changed', { datasetId });

    const summary = datasetSummary(ctx.db, datasetId);
    const fileErrors = scanned.flatMap((s) => (s.outcome.ok ? [] : [{ path: s.file.relPath, reason: s.outcome.reason }]));
    return {
      datasetId,
      imported: fresh.length - fileErrors.length,
      duplicates: duplicates.length,
      duplicateFiles: duplicates,
      errors: [...walk.errors, ...fileErrors],
      classes: summary.classes,
      splits: summary.splits,
      seconds: (performance.now() - started) / 1000,
    };
  });
}
