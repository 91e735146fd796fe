import { ApiError } from '../../shared/api/errors.js';
import type { AppContext } from '../context.js';
import { getDataset } from '../library/datasets.js';
import { stmt } from '../library/statements.js';
import { duplicateGroups } from '../quality/duplicate-groups.js';
import { qualitySummary } from '../quality/summary.js';
import { harmCheck } from '../quality/harm-check.js';
import { fixLeaks, keepGroupsTogether } from '../quality/leaks.js';
import { setExcluded } from '../quality/exclusion.js';
import { duplicateThreshold, setDuplicateThreshold } from '../quality/settings.js';
import { findSuspects, listSuspects, reviewSuspect } from '../quality/suspects.js';
import { updateQuality } from '../quality/update-quality.js';
import type { DomainServices } from './types.js';

function changed(ctx: AppContext, datasetIds: Iterable<number>): void {
  for (const datasetId of new Set(datasetIds)) ctx.events.emit('library.changed', { datasetId });
}

function classNames(ctx: AppContext, datasetId: number): Map<number, string> {
  const rows = stmt(ctx.db, 'SELECT id, name FROM classes WHERE dataset_id = ?').all(datasetId) as { id: number; name: string }[];
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Implementations of the quality domain's contract methods. */
export const qualityServices: DomainServices<'quality'> = {
  'quality.summary': ({ datasetId }, ctx) => qualitySummary(ctx.db, datasetId),
  'quality.measure': ({ datasetId, jobId }, ctx) => {
    getDataset(ctx.db, datasetId);
    return ctx.jobs.run('quality', jobId, async (job) => {
      const result = await updateQuality(ctx.db, ctx.paths.thumbs, datasetId, { progress: job.progress, signal: job.signal });
      changed(ctx, [datasetId]);
      return result;
    });
  },
  'quality.duplicates': ({ datasetId, threshold }, ctx) => {
    getDataset(ctx.db, datasetId);
    const t = threshold ?? duplicateThreshold(ctx.db, datasetId);
    const names = classNames(ctx, datasetId);
    const groups = duplicateGroups(ctx.db, datasetId, t).map((g) => ({
      id: g.id,
      leaks: new Set(g.members.flatMap((m) => (m.split ? [m.split] : []))).size > 1,
      members: g.members.map((m) => ({
        imageId: m.imageId,
        relPath: m.relPath,
        classId: m.classId,
        className: m.classId === null ? null : (names.get(m.classId) ?? null),
        split: m.split,
        excluded: m.excluded,
        distance: m.distance,
        exact: m.exact,
      })),
    }));
    return { threshold: t, groups };
  },
  'quality.setThreshold': ({ datasetId, threshold }, ctx) => {
    getDataset(ctx.db, datasetId);
    const groups = ctx.db.transaction(() => {
      setDuplicateThreshold(ctx.db, datasetId, threshold);
      keepGroupsTogether(ctx.db, datasetId);
      return duplicateGroups(ctx.db, datasetId, threshold).length;
    })();
    changed(ctx, [datasetId]);
    return { threshold, groups };
  },
  'quality.setExcluded': ({ imageIds, excluded }, ctx) => {
    const { updated, datasetIds } = setExcluded(ctx.db, imageIds, excluded);
    changed(ctx, datasetIds);
    return { updated };
  },
  'quality.fixLeaks': ({ datasetId, groupIds }, ctx) => {
    getDataset(ctx.db, datasetId);
    const result = fixLeaks(ctx.db, datasetId, groupIds);
    changed(ctx, [datasetId]);
    return result;
  },
  'quality.findMislabels': ({ datasetId, jobId, ...opts }, ctx) => {
    getDataset(ctx.db, datasetId);
    return ctx.jobs.run('mislabels', jobId, (job) => findSuspects(ctx, datasetId, opts, job));
  },
  'quality.suspects': ({ datasetId, status }, ctx) => {
    getDataset(ctx.db, datasetId);
    return { suspects: listSuspects(ctx.db, datasetId, status) };
  },
  'quality.review': ({ imageId, action, classId }, ctx) => {
    const { status, previous, datasetId } = reviewSuspect(ctx.db, imageId, action, classId);
    if (previous.length > 0) changed(ctx, [datasetId]);
    return { status, previous };
  },
  'quality.harmCheck': ({ jobId, ...input }, ctx) => {
    if (input.pipeline.ops.length === 0) throw new ApiError('invalid_input', 'pipeline: the harm check needs at least one op.');
    return ctx.jobs.run('harm-check', jobId, (job) => harmCheck(ctx, input, job));
  },
};
