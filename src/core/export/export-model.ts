import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../shared/api/errors.js';
import { modelExportFiles } from '../../shared/api/model-files.js';
import type { AppContext } from '../context.js';
import { getRunDetail, type RunRecord } from '../train/run-store.js';
import { checkDestination, writeFolder } from './destination.js';
import { errnoOf, writeError } from './fs-errors.js';
import { modelReadme, type ModelLabels } from './model-readme.js';

const { model: MODEL_JSON, labels: LABELS_JSON, readme: README } = modelExportFiles;

interface LayersModelJson {
  format?: string;
  modelTopology?: unknown;
  weightsManifest?: { paths: string[] }[];
}

async function readModelJson(dir: string, runId: string): Promise<LayersModelJson> {
  let text: string;
  try {
    text = await fs.readFile(path.join(dir, MODEL_JSON), 'utf8');
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') throw new ApiError('not_found', `The model files of run "${runId}" are gone from ${dir}; train the run again.`);
    throw new ApiError('io_error', `Cannot read the model of run "${runId}": ${(err as Error).message}`);
  }
  const json = JSON.parse(text) as LayersModelJson;
  if (json.format !== 'layers-model' || !json.modelTopology) {
    throw new ApiError('unsupported', `The model of run "${runId}" is not a TensorFlow.js layers model (format "${json.format ?? 'unknown'}").`);
  }
  return json;
}

/** Weight files named by the manifest, each a plain file inside the model folder. */
function weightFiles(json: LayersModelJson, runId: string): string[] {
  const files = (json.weightsManifest ?? []).flatMap((group) => group.paths).map((p) => path.posix.normalize(p));
  for (const f of files) {
    if (f.startsWith('..') || path.posix.isAbsolute(f) || f.includes('/')) {
      throw new ApiError('unsupported', `The model of run "${runId}" names a weight file outside its folder ("${f}").`);
    }
  }
  return [...new Set(files)];
}

/** labels.json as training wrote it, or rebuilt from the run for models saved before it existed. */
async function readLabels(dir: string, run: RunRecord): Promise<ModelLabels> {
  try {
    return JSON.parse(await fs.readFile(path.join(dir, LABELS_JSON), 'utf8')) as ModelLabels;
  } catch (err) {
    if (errnoOf(err) !== 'ENOENT') throw new ApiError('io_error', `Cannot read labels.json of run "${run.id}": ${(err as Error).message}`);
  }
  const classes = run.metrics?.classes ?? run.data?.classes.map((c) => c.name);
  if (!classes) throw new ApiError('not_found', `Run "${run.id}" records no class names, so its model cannot be exported with labels.`);
  return { classes, size: run.config.size, channels: 3, scale: '1/255', resize: 'fill' };
}

/**
 * Exports a finished run's model: model.json and its weight files exactly as saved (TensorFlow.js
 * layers format), labels.json, and a README on loading it in TensorFlow.js and in Python.
 */
export async function exportModel(ctx: AppContext, input: { runId: string; out: string; replace: boolean }): Promise<{ out: string; files: string[] }> {
  const run = getRunDetail(ctx.db, input.runId);
  if (run.status !== 'done' || !run.modelPath) {
    throw new ApiError('conflict', `Run "${run.id}" has no trained model to export (it is ${run.status}); export a run that finished.`);
  }
  const dir = run.modelPath;
  const json = await readModelJson(dir, run.id);
  const weights = weightFiles(json, run.id);
  const labels = await readLabels(dir, run);
  const dest = await checkDestination(ctx.db, ctx.dataDir, input.out, input.replace);
  const files = [MODEL_JSON, ...weights, LABELS_JSON, README];
  await writeFolder(dest, async (staging) => {
    for (const f of [MODEL_JSON, ...weights]) {
      try {
        await fs.copyFile(path.join(dir, f), path.join(staging, f));
      } catch (err) {
        if (errnoOf(err) === 'ENOENT') throw new ApiError('not_found', `The model of run "${run.id}" is missing its file ${f}; train the run again.`);
        throw writeError(err, `"${f}"`);
      }
    }
    try {
      await fs.writeFile(path.join(staging, LABELS_JSON), `${JSON.stringify(labels, null, 2)}\n`);
      await fs.writeFile(path.join(staging, README), modelReadme(run, labels));
    } catch (err) {
      throw writeError(err, `the model's labels and README`);
    }
  });
  return { out: dest.out, files };
}
