import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../shared/api/errors.js';
import { pipelineExportFile, type PipelineExportFormat } from '../../shared/api/export.js';
import { exportPipelineCode } from '../augment/codegen/export-code.js';
import { parsePipeline, pipelineToJson, type Pipeline } from '../augment/pipeline.js';
import type { AppContext } from '../context.js';
import { makeFolders, refuseLibraryFolders } from './destination.js';
import { errnoOf, writeError } from './fs-errors.js';

export interface PipelineExport {
  pipeline: unknown;
  out: string;
  formats: readonly PipelineExportFormat[];
  name: string;
  imageSize?: number | undefined;
  replace: boolean;
}

/** The file each format becomes, its text, and the code generator's notes on it. */
function render(format: PipelineExportFormat, pipeline: Pipeline, input: PipelineExport): { file: string; text: string; notes: string[] } {
  const file = pipelineExportFile(input.name, format);
  if (format === 'json') return { file, text: `${JSON.stringify(pipelineToJson(pipeline), null, 2)}\n`, notes: [] };
  const code = exportPipelineCode(pipeline, format, input.imageSize ? { imageSize: input.imageSize } : {});
  return { file, text: code.code, notes: code.notes.map((n) => `${format}: ${n}`) };
}

/** Each file is written beside its final name and renamed, so a failure never leaves half a file. */
async function writeWhole(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await fs.writeFile(tmp, text);
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw writeError(err, `"${file}"`);
  }
}

/** Writes a validated pipeline into a folder (created if needed) as JSON and/or Python; existing files are kept unless `replace`. */
export async function exportPipeline(ctx: AppContext, input: PipelineExport): Promise<{ files: string[]; notes: string[] }> {
  const pipeline = parsePipeline(input.pipeline, 'The pipeline');
  const out = path.resolve(input.out);
  refuseLibraryFolders(ctx.db, out);
  const outputs = [...new Set(input.formats)].map((f) => render(f, pipeline, input));
  for (const o of outputs) {
    const target = path.join(out, o.file);
    const exists = await fs.stat(target).then(
      () => true,
      (err: unknown) => (errnoOf(err) === 'ENOENT' ? false : Promise.reject(writeError(err, `"${target}"`))),
    );
    if (exists && !input.replace) throw new ApiError('conflict', `"${target}" already exists; choose another name or ask to replace it.`);
  }
  try {
    await makeFolders(out);
  } catch (err) {
    throw writeError(err, `the folder "${out}"`);
  }
  const files: string[] = [];
  for (const o of outputs) {
    const target = path.join(out, o.file);
    await writeWhole(target, o.text);
    files.push(target);
  }
  return { files, notes: outputs.flatMap((o) => o.notes) };
}
