import path from 'node:path';
import { ApiError } from '../../shared/api/errors.js';
import { comparisonDetail, comparisonSummary } from '../compare/detail.js';
import { presetInfos } from '../compare/presets/index.js';
import { compareQueue } from '../compare/queue-for-context.js';
import { reportHtml } from '../compare/report/html.js';
import { reportData, writeReport } from '../compare/report/write-report.js';
import { createComparison } from '../compare/start-comparison.js';
import { deleteComparison, getComparison, listComparisons } from '../compare/store.js';
import { leakWarning } from '../quality/leaks.js';
import type { DomainServices } from './types.js';

/** Implementations of the compare domain's contract methods. */
export const compareServices: DomainServices<'compare'> = {
  'compare.presets': () => ({ presets: presetInfos() }),
  'compare.start': (input, ctx) => {
    const created = createComparison(ctx.db, input, { backbonesDir: ctx.paths.backbones });
    compareQueue(ctx).enqueue(created.comparisonId);
    const warning = leakWarning(ctx.db, input.datasetId);
    return warning ? { ...created, warning } : created;
  },
  'compare.get': ({ comparisonId }, ctx) => comparisonDetail(ctx.db, comparisonId),
  'compare.list': ({ datasetId }, ctx) => ({ comparisons: listComparisons(ctx.db, datasetId).map((c) => comparisonSummary(ctx.db, c)) }),
  'compare.cancel': ({ comparisonId }, ctx) => ({ cancelled: compareQueue(ctx).cancel(comparisonId) }),
  'compare.remove': ({ comparisonId }, ctx) => {
    const c = getComparison(ctx.db, comparisonId);
    if (c.status === 'queued' || c.status === 'running') {
      throw new ApiError('conflict', `Comparison ${comparisonId} is still ${c.status}; cancel it before removing it.`);
    }
    deleteComparison(ctx.db, comparisonId);
    return { ok: true };
  },
  'compare.report': ({ comparisonId, dir }, ctx) => {
    const detail = comparisonDetail(ctx.db, comparisonId);
    return writeReport(path.resolve(dir ?? path.join(ctx.paths.root, 'reports')), reportData(ctx.db, detail));
  },
  'compare.reportHtml': ({ comparisonId }, ctx) => ({
    fileName: `comparison-${comparisonId}.html`,
    html: reportHtml(reportData(ctx.db, comparisonDetail(ctx.db, comparisonId))),
  }),
};
