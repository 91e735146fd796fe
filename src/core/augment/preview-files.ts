import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { AppContext } from '../context.js';
import type { EncodeFormat } from './image-io.js';
import type { ConcreteOp } from './op.js';
import { canonicalPipelineJson, parsePipeline } from './pipeline.js';
import { renderOpStrip, renderVariants } from './preview.js';
import { previewSource } from './preview-source.js';

export interface PreviewFilesRequest {
  readonly imageId: number;
  readonly pipeline: unknown;
  readonly n: number;
  readonly seed: number;
  readonly size: number;
  readonly format: EncodeFormat;
  readonly outDir: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: { done: number; total: number | null; phase?: string }) => void;
}

export interface PreviewFilesResult {
  readonly outDir: string;
  readonly variants: { file: string; width: number; height: number; ops: ConcreteOp[] }[];
  readonly grid: string;
  readonly strip: string;
  readonly stripItems: { file: string; path: string; op: string }[];
  readonly manifest: string;
}

/**
 * Writes a preview to a folder: variant-01…n, grid (all variants), strip (source then each op
 * alone) and preview.json recording the seed, the pipeline and every variant's concrete ops.
 */
export async function writePreviewFiles(ctx: AppContext, req: PreviewFilesRequest): Promise<PreviewFilesResult> {
  const pipeline = parsePipeline(req.pipeline);
  return ctx.jobs.run(
    'preview',
    undefined,
    async (job) => {
      const progress = (p: { done: number; total: number | null; phase?: string }) => {
        job.progress(p);
        req.onProgress?.(p);
      };
      const jobView = { throwIfCancelled: job.throwIfCancelled, progress };
      const source = await previewSource(ctx, req.imageId, req.size);
      const opts = { seed: req.seed, imageKey: req.imageId, format: req.format, job: jobView };
      const previews = await renderVariants(source, pipeline, { ...opts, n: req.n, grid: true });
      const strip = await renderOpStrip(source, pipeline, { ...opts, strip: true });
      const outDir = path.resolve(req.outDir);
      await fs.mkdir(outDir, { recursive: true });
      const ext = req.format === 'jpeg' ? 'jpg' : req.format;
      const digits = Math.max(2, String(req.n).length);
      const write = async (name: string, bytes: Buffer) => {
        const file = path.join(outDir, name);
        await fs.writeFile(file, bytes);
        return file;
      };
      const variants = [];
      for (const v of previews.variants) {
        const file = await write(`variant-${String(v.index + 1).padStart(digits, '0')}.${ext}`, v.bytes);
        variants.push({ file, width: v.width, height: v.height, ops: v.ops });
      }
      const grid = await write(`grid.${ext}`, previews.grid!.bytes);
      const stripFile = await write(`strip.${ext}`, strip.strip!.bytes);
      const stripItems = [];
      for (const it of strip.items) {
        const file = await write(`strip-${it.path.replace(/\./g, '-')}-${it.op}.${ext}`, it.bytes);
        stripItems.push({ file, path: it.path, op: it.op });
      }
      const manifest = path.join(outDir, 'preview.json');
      const record = {
        imageId: req.imageId,
        seed: req.seed,
        size: { width: source.width, height: source.height },
        pipeline: canonicalPipelineJson(pipeline),
        variants: variants.map((v, i) => ({ index: i, file: path.basename(v.file), ops: v.ops })),
      };
      await fs.writeFile(manifest, `${JSON.stringify(record, null, 2)}\n`);
      return { outDir, variants, grid, strip: stripFile, stripItems, manifest };
    },
    req.signal,
  );
}
