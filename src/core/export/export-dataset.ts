import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiError } from '../../shared/api/errors.js';
import type { ExportDatasetOptions, ExportDatasetResult } from '../../shared/api/export.js';
import { canonicalPipelineJson, parsePipeline } from '../augment/pipeline.js';
import type { AppContext } from '../context.js';
import { countFiles, datasetCard, exportDate } from './dataset-card.js';
import { checkDestination, writeFolder } from './destination.js';
import { writeError } from './fs-errors.js';
import { labelsCsv, manifestCsv, manifestJsonl, manifestRows } from './manifest.js';
import { planExport } from './plan.js';
import { renderAll } from './render-pool.js';
import { workingMaxSide, type RenderSettings } from './render-source.js';
import { selectSources } from './sources.js';

export interface ExportTuning {
  /** Worker threads for pixel work; by default one per core (up to 4) once an export is big enough to repay starting them. */
  readonly threads?: number;
  /** Render on the calling thread too until a worker thread is up (default true). */
  readonly inline?: boolean;
}

/** Below this many files, starting threads costs more than it saves. */
const THREADS_FROM = 48;

function defaultThreads(files: number): number {
  return files >= THREADS_FROM ? Math.min(4, os.availableParallelism()) : 0;
}

async function writeText(root: string, name: string, text: string): Promise<void> {
  try {
    await fs.writeFile(path.join(root, name), text);
  } catch (err) {
    throw writeError(err, `"${name}"`);
  }
}

/**
 * Exports a dataset: every file is built in a staging folder beside the destination, which becomes
 * the destination only when everything (images, manifests, card) is written. A failure or cancel
 * removes the staging folder; the library is only read.
 */
export async function exportDataset(ctx: AppContext, options: ExportDatasetOptions, tuning: ExportTuning = {}): Promise<ExportDatasetResult> {
  return ctx.jobs.run('export', options.jobId, async (job) => {
    const started = performance.now();
    const pipeline = options.pipeline ? parsePipeline(options.pipeline, 'The export pipeline') : null;
    if (!pipeline && (options.copies > 0 || options.balance)) {
      throw new ApiError('invalid_input', 'copies: augmented copies (and balance) need a pipeline; give one, or set copies to 0 to export the originals only.');
    }
    const selection = selectSources(ctx.db, options.datasetId, options.splits);
    const plan = planExport(selection.images, options);
    if (plan.files === 0) {
      throw new ApiError(
        'invalid_input',
        `Nothing to export: dataset "${selection.dataset.name}" has no labelled, readable images in ${options.splits.join(', ')}` +
          (selection.images.length > 0 ? ', or the options ask for no files (no originals and no copies).' : '.'),
      );
    }
    const dest = await checkDestination(ctx.db, ctx.dataDir, options.out, options.replace);
    const phase = 'writing images';
    job.progress({ phase, done: 0, total: plan.files });

    const result = await writeFolder(dest, async (staging) => {
      try {
        for (const dir of plan.dirs) await fs.mkdir(path.join(staging, ...dir.split('/')), { recursive: true });
      } catch (err) {
        throw writeError(err, `folders in "${staging}"`);
      }
      const settings: RenderSettings = {
        pipeline: pipeline ? pipeline.json : null,
        seed: options.seed,
        maxSide: workingMaxSide(options.size),
        size: options.size,
        fit: options.fit,
        format: options.format,
        quality: options.quality,
        root: staging,
      };
      let done = 0;
      const tasks = plan.sources.map((s) => ({ imageId: s.image.id, path: s.image.path, hash: s.image.hash, outputs: s.outputs }));
      const results = await renderAll(tasks, {
        settings,
        threads: tuning.threads ?? defaultThreads(plan.files),
        ...(tuning.inline !== undefined ? { inline: tuning.inline } : {}),
        signal: job.signal,
        onFile: () => job.progress({ phase, done: ++done, total: plan.files }),
      });
      job.throwIfCancelled();

      job.progress({ phase: 'writing manifest', done: 0, total: 1 });
      const rows = manifestRows(plan, results);
      const canonical = pipeline ? canonicalPipelineJson(pipeline) : null;
      await writeText(staging, 'manifest.csv', manifestCsv(rows));
      await writeText(staging, 'manifest.jsonl', manifestJsonl(rows));
      if (options.layout === 'flat') await writeText(staging, 'labels.csv', labelsCsv(rows));
      if (canonical) await writeText(staging, 'pipeline.json', `${JSON.stringify(canonical, null, 2)}\n`);
      const card = datasetCard({
        datasetName: selection.dataset.name,
        datasetRoot: selection.dataset.root,
        options: { ...options, out: dest.out },
        pipeline: canonical,
        rows,
        originals: plan.sources.length,
        skipped: selection.skipped,
        date: exportDate(),
      });
      await writeText(staging, 'README.md', card);
      job.throwIfCancelled();
      return rows;
    });
    job.progress({ phase: 'writing manifest', done: 1, total: 1 });

    const { perClass, perSplit } = countFiles(result);
    return {
      out: dest.out,
      files: result.length,
      perClass,
      perSplit,
      manifest: path.join(dest.out, 'manifest.csv'),
      manifestJsonl: path.join(dest.out, 'manifest.jsonl'),
      readme: path.join(dest.out, 'README.md'),
      skipped: selection.skipped,
      seconds: (performance.now() - started) / 1000,
    };
  });
}
