import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../../shared/api/errors.js';
import type { BackboneInfo, BackbonePreprocessing, DownloadableBackbone } from '../../shared/api/transfer.js';
import { assertFreeName, installBackbone, stagingDir } from './backbone-store.js';
import { downloadTfjsModel, removeQuietly, type DownloadOptions } from './download.js';
import { resolveModelFolder } from './model-folder.js';
import { inspectModelJson } from './model-json.js';
import { PUBLISHED, publishedUrl } from './published.js';

export interface AddFolderInput {
  folder: string;
  name: string;
  preprocessing: BackbonePreprocessing;
  inputSize: number | null;
}

/** Copies model.json and its weight files from a local TensorFlow.js model folder into the cache. */
export async function addBackboneFolder(root: string, input: AddFolderInput): Promise<BackboneInfo> {
  assertFreeName(root, input.name);
  const folder = await resolveModelFolder(input.folder);
  const facts = await inspectModelJson(folder);
  if (facts.inputSize === null && input.inputSize === null) {
    throw new ApiError('invalid_input', `${path.join(folder, 'model.json')} does not fix its input size; give one (--size PX).`);
  }
  const staging = await stagingDir(root, input.name);
  try {
    for (const f of ['model.json', ...facts.weightFiles]) {
      try {
        await copyFile(path.join(folder, f), path.join(staging, f));
      } catch (err) {
        throw new ApiError('invalid_input', `Cannot copy ${path.join(folder, f)} (named by model.json): ${(err as Error).message}`);
      }
    }
  } catch (err) {
    await removeQuietly(staging);
    throw err;
  }
  return installBackbone(root, input.name, staging, {
    inputSize: input.inputSize,
    preprocessing: input.preprocessing,
    source: 'folder',
    provenance: { url: null, folder, dataset: null, runId: null, classes: null, valAcc: null },
  });
}

/**
 * Downloads a published backbone once: into a staging folder, checked, then moved into the cache.
 * Any failure (cut connection that cannot be resumed, wrong size or hash, cancel) removes the staging folder.
 */
export async function downloadBackbone(
  root: string,
  model: DownloadableBackbone,
  name: string | undefined,
  opts: DownloadOptions = {},
): Promise<BackboneInfo> {
  const published = PUBLISHED[model];
  const target = name ?? published.defaultName;
  assertFreeName(root, target);
  const url = publishedUrl(model);
  const staging = await stagingDir(root, target);
  try {
    await downloadTfjsModel(url, staging, { ...opts, expected: opts.expected ?? published.expected });
  } catch (err) {
    await removeQuietly(staging);
    throw err;
  }
  return installBackbone(root, target, staging, {
    inputSize: published.inputSize,
    preprocessing: published.preprocessing,
    source: 'download',
    provenance: { url, folder: null, dataset: null, runId: null, classes: null, valAcc: null },
  });
}
