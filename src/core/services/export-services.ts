import { exportDataset } from '../export/export-dataset.js';
import { exportModel } from '../export/export-model.js';
import { exportPipeline } from '../export/export-pipeline.js';
import type { DomainServices } from './types.js';

/** Implementations of the export domain's contract methods. */
export const exportServices: DomainServices<'export'> = {
  'export.dataset': (input, ctx) => exportDataset(ctx, input),
  'export.model': (input, ctx) => exportModel(ctx, input),
  'export.pipeline': (input, ctx) => exportPipeline(ctx, input),
};
