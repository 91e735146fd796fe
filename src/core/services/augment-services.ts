import { basename } from 'node:path';
import type { AppContext } from '../context.js';
import { describeRegistry } from '../augment/descriptors.js';
import { dataUrl } from '../augment/image-io.js';
import { FILL_MODES } from '../augment/op.js';
import { canonicalPipelineJson, checkPipeline, parsePipeline, PIPELINE_VERSION } from '../augment/pipeline.js';
import {
  deletePipeline,
  exportPipelineFile,
  getPipeline,
  importPipelineFile,
  listPipelines,
  readPipelineFile,
  savePipeline,
  writePipelineFile,
} from '../augment/pipeline-store.js';
import { renderOpStrip, renderVariants } from '../augment/preview.js';
import { previewSource } from '../augment/preview-source.js';
import type { DomainServices } from './types.js';
import { augmentCodeServices } from './augment-code-services.js';

function elapsed(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export const augmentServices: DomainServices<'augment' | 'pipelines'> = {
  ...augmentCodeServices,
  'augment.ops': () => ({ version: PIPELINE_VERSION, ops: describeRegistry(), fillModes: [...FILL_MODES] }),
  'augment.validatePipeline': ({ pipeline }) => {
    const r = checkPipeline(pipeline);
    return r.pipeline
      ? { valid: true, issues: [], canonical: canonicalPipelineJson(r.pipeline) }
      : { valid: false, issues: r.issues, canonical: null };
  },
  'augment.preview': async (input, ctx: AppContext) => {
    const start = process.hrtime.bigint();
    const pipeline = parsePipeline(input.pipeline);
    return ctx.jobs.run('preview', input.jobId, async (job) => {
      const source = await previewSource(ctx, input.imageId, input.size);
      const r = await renderVariants(source, pipeline, {
        n: input.n,
        seed: input.seed,
        imageKey: input.imageId,
        format: input.format,
        grid: input.grid,
        job,
      });
      return {
        source: { imageId: input.imageId, width: source.width, height: source.height },
        variants: r.variants.map((v) => ({ index: v.index, ops: v.ops, width: v.width, height: v.height, dataUrl: dataUrl(v.bytes, input.format) })),
        grid: r.grid ? { width: r.grid.width, height: r.grid.height, dataUrl: dataUrl(r.grid.bytes, input.format) } : null,
        ms: elapsed(start),
      };
    });
  },
  'augment.opStrip': async (input, ctx) => {
    const start = process.hrtime.bigint();
    const pipeline = parsePipeline(input.pipeline);
    return ctx.jobs.run('preview', input.jobId, async (job) => {
      const source = await previewSource(ctx, input.imageId, input.size);
      const r = await renderOpStrip(source, pipeline, { seed: input.seed, imageKey: input.imageId, format: input.format, job });
      return {
        source: { imageId: input.imageId, width: source.width, height: source.height },
        items: r.items.map((it) => ({
          path: it.path,
          op: it.op,
          label: it.label,
          ops: it.ops,
          width: it.width,
          height: it.height,
          dataUrl: dataUrl(it.bytes, input.format),
        })),
        ms: elapsed(start),
      };
    });
  },
  'pipelines.list': (_input, ctx) => ({ pipelines: listPipelines(ctx.db) }),
  'pipelines.get': ({ name }, ctx) => getPipeline(ctx.db, name),
  'pipelines.save': ({ name, pipeline, overwrite }, ctx) => savePipeline(ctx.db, name, pipeline, overwrite),
  'pipelines.delete': ({ name }, ctx) => ({ deleted: deletePipeline(ctx.db, name) }),
  'pipelines.importFile': ({ path, name, overwrite }, ctx) => importPipelineFile(ctx.db, path, name, overwrite),
  'pipelines.exportFile': async ({ name, path }, ctx) => ({ path: await exportPipelineFile(ctx.db, name, path) }),
  'pipelines.readFile': async ({ path }) => ({ pipeline: await readPipelineFile(path), name: basename(path).replace(/\.json$/i, '') }),
  'pipelines.writeFile': async ({ pipeline, path }) => ({ path: await writePipelineFile(pipeline, path) }),
};
