import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../../shared/api/errors.js';
import { backboneInfo, type BackboneInfo } from '../../shared/api/transfer.js';
import { checkModelFolder } from './check-model.js';
import { inspectModelJson, type ModelJsonFacts } from './model-json.js';

export const BACKBONE_JSON = 'backbone.json';

/** What a backbone records about itself; the store adds name, path, hashes, sizes and the date. */
export type BackboneMeta = Omit<BackboneInfo, 'name' | 'path' | 'createdAt' | 'bytes' | 'params' | 'format' | 'featureLayer' | 'provenance'> & {
  provenance: Omit<BackboneInfo['provenance'], 'sha256'>;
  /** Overrides what model.json says (e.g. a model whose input size is not fixed). */
  inputSize: number | null;
};

export function backboneDir(root: string, name: string): string {
  return path.join(root, name);
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function readBackbone(root: string, name: string): Promise<BackboneInfo> {
  const dir = backboneDir(root, name);
  let text: string;
  try {
    text = await readFile(path.join(dir, BACKBONE_JSON), 'utf8');
  } catch {
    const known = (await listBackbones(root)).map((b) => `"${b.name}"`);
    throw new ApiError('not_found', `There is no backbone named "${name}"${known.length ? ` (backbones: ${known.join(', ')})` : ''}; add one with \`smallset backbone add|train|download\`.`);
  }
  const parsed = backboneInfo.safeParse({ ...JSON.parse(text), path: dir });
  if (!parsed.success) throw new ApiError('io_error', `The backbone file ${path.join(dir, BACKBONE_JSON)} is damaged: ${parsed.error.message}`);
  return parsed.data;
}

/** The same, synchronously (the run queue resolves a transfer run's backbone before it returns the run id). */
export function readBackboneSync(root: string, name: string): BackboneInfo {
  const dir = backboneDir(root, name);
  let text: string;
  try {
    text = readFileSync(path.join(dir, BACKBONE_JSON), 'utf8');
  } catch {
    throw new ApiError('not_found', `There is no backbone named "${name}"; add one with \`smallset backbone add|train|download\` (see \`smallset backbone list\`).`);
  }
  const parsed = backboneInfo.safeParse({ ...JSON.parse(text), path: dir });
  if (!parsed.success) throw new ApiError('io_error', `The backbone file ${path.join(dir, BACKBONE_JSON)} is damaged: ${parsed.error.message}`);
  return parsed.data;
}

export async function listBackbones(root: string): Promise<BackboneInfo[]> {
  if (!existsSync(root)) return [];
  const out: BackboneInfo[] = [];
  for (const entry of await readdir(root, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    try {
      out.push(await readBackbone(root, entry.name));
    } catch {
      // A folder without a readable backbone.json is an unfinished install; it is not listed.
    }
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

export function assertFreeName(root: string, name: string): void {
  if (existsSync(backboneDir(root, name))) {
    throw new ApiError('conflict', `A backbone named "${name}" already exists; remove it first (\`smallset backbone remove ${name}\`) or pick another name.`);
  }
}

/** A private folder next to the cache where a backbone is assembled before it is moved into place. */
export async function stagingDir(root: string, name: string): Promise<string> {
  const dir = path.join(root, `.staging-${name}-${process.pid}-${Date.now().toString(36)}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

/**
 * Checks the model in `staging`, writes backbone.json with hashes and sizes, and moves the folder
 * into the cache in one rename, so the cache never holds half a backbone.
 */
export async function installBackbone(root: string, name: string, staging: string, meta: BackboneMeta): Promise<BackboneInfo> {
  try {
    const facts: ModelJsonFacts = await inspectModelJson(staging);
    const source = meta.provenance.folder ? path.join(meta.provenance.folder, 'model.json') : (meta.provenance.url ?? undefined);
    await checkModelFolder(staging, facts, source);
    const sha256: Record<string, string> = {};
    let bytes = 0;
    for (const file of ['model.json', ...facts.weightFiles]) {
      sha256[file] = await sha256File(path.join(staging, file));
      bytes += (await stat(path.join(staging, file))).size;
    }
    const inputSize = meta.inputSize ?? facts.inputSize;
    const info: Omit<BackboneInfo, 'path'> = {
      name,
      inputSize,
      preprocessing: meta.preprocessing,
      format: facts.format,
      featureLayer: facts.featureLayer,
      params: facts.params,
      bytes,
      source: meta.source,
      provenance: { ...meta.provenance, sha256 },
      createdAt: new Date().toISOString(),
    };
    await writeFile(path.join(staging, BACKBONE_JSON), JSON.stringify(info, null, 2));
    assertFreeName(root, name);
    await rename(staging, backboneDir(root, name));
    return { ...info, path: backboneDir(root, name) };
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw err;
  }
}

export async function removeBackbone(root: string, name: string): Promise<void> {
  await readBackbone(root, name);
  await rm(backboneDir(root, name), { recursive: true, force: true });
}
