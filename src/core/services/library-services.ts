import path from 'node:path';
import type { AppContext } from '../context.js';
import { createClass, deleteClass, listClasses, mergeClasses, updateClass } from '../library/classes.js';
import { datasetSummaries, getDataset, removeDataset, renameDataset } from '../library/datasets.js';
import { labelImages, restoreLabels } from '../library/labels.js';
import { getImage, queryImages } from '../library/query-images.js';
import { assignSplitsKeepingGroups } from '../library/split-dataset.js';
import type { DomainServices } from './types.js';

export const SAMPLE_DATASET_NAME = 'Sample shapes';

/**
 * Importing, rescanning, making the sample and stopping a dataset's training load sharp, the
 * training engine and tfjs: they are imported when called, so listing and labelling (`smallset
 * stats`, `ls`, `label`, `split`) start without them.
 */
const importer = () => import('../library/import-folder.js');

function changed(ctx: AppContext, datasetIds: Iterable<number>): void {
  for (const datasetId of new Set(datasetIds)) ctx.events.emit('library.changed', { datasetId });
}

export const libraryServices: DomainServices<'datasets' | 'classes' | 'images' | 'splits'> = {
  'datasets.list': (_input, ctx) => ({ datasets: datasetSummaries(ctx.db) }),
  'datasets.import': async (input, ctx) => (await importer()).importFolder(ctx, input),
  'datasets.rescan': async (input, ctx) => (await import('../library/rescan.js')).rescanDataset(ctx, input),
  'datasets.rename': ({ datasetId, name }, ctx) => {
    const summary = renameDataset(ctx.db, datasetId, name);
    changed(ctx, [datasetId]);
    return summary;
  },
  'datasets.remove': async ({ datasetId }, ctx) => {
    getDataset(ctx.db, datasetId);
    // Runs and comparisons stop first: a worker still training would write rows for a dataset that is gone.
    const { stopDatasetWork, removeRunFiles } = await import('../compare/dataset-work.js');
    const runIds = await stopDatasetWork(ctx, datasetId);
    const removed = await removeDataset(ctx.db, ctx.paths.thumbs, datasetId);
    if (removed) await removeRunFiles(ctx, runIds);
    changed(ctx, [datasetId]);
    return { removed };
  },
  'datasets.createSample': async ({ jobId }, ctx) => {
    const dir = path.join(ctx.paths.samples, 'shapes');
    await (await import('../library/sample-dataset.js')).writeSampleDataset(dir);
    return (await importer()).importFolder(ctx, { path: dir, name: SAMPLE_DATASET_NAME, ...(jobId ? { jobId } : {}) });
  },

  'classes.list': ({ datasetId }, ctx) => ({ classes: listClasses(ctx.db, datasetId) }),
  'classes.create': ({ datasetId, name, color }, ctx) => {
    const created = createClass(ctx.db, datasetId, name, color);
    changed(ctx, [datasetId]);
    return created;
  },
  'classes.update': ({ classId, name, color }, ctx) => {
    const updated = updateClass(ctx.db, classId, { ...(name !== undefined ? { name } : {}), ...(color !== undefined ? { color } : {}) });
    changed(ctx, [updated.datasetId]);
    return updated;
  },
  'classes.merge': ({ sourceIds, targetId }, ctx) => {
    const merged = mergeClasses(ctx.db, sourceIds, targetId);
    changed(ctx, [merged.datasetId]);
    return merged;
  },
  'classes.delete': ({ classId }, ctx) => {
    const { datasetId, unlabeled } = deleteClass(ctx.db, classId);
    changed(ctx, [datasetId]);
    return { unlabeled };
  },

  'images.query': (input, ctx) => queryImages(ctx.db, input),
  'images.get': ({ imageId }, ctx) => getImage(ctx.db, imageId),
  'images.label': ({ imageIds, classId }, ctx) => {
    const { updated, previous, datasetIds } = labelImages(ctx.db, imageIds, classId);
    changed(ctx, datasetIds);
    return { updated, previous };
  },
  'images.restoreLabels': ({ labels }, ctx) => {
    const { updated, datasetIds } = restoreLabels(ctx.db, labels);
    changed(ctx, datasetIds);
    return { updated };
  },

  'splits.assign': ({ datasetId, train, val, test, seed, keepFolderSplits }, ctx) => {
    getDataset(ctx.db, datasetId);
    const result = assignSplitsKeepingGroups(ctx.db, datasetId, { train, val, test, seed, keepFolderSplits });
    changed(ctx, [datasetId]);
    return result;
  },
};
