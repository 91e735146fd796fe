import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../shared/api/errors.js';
import type { PipelineSummary } from '../../shared/api/augment.js';
import type { Db } from '../db/open-db.js';
import { parsePipeline, pipelineToJson, type PipelineJson } from './pipeline.js';

interface Row {
  id: number;
  name: string;
  json: string;
  created_at: string;
  updated_at: string;
}

function summary(row: Row): PipelineSummary {
  const json = JSON.parse(row.json) as PipelineJson;
  return { id: row.id, name: row.name, opCount: json.ops.length, createdAt: row.created_at, updatedAt: row.updated_at };
}

function find(db: Db, name: string): Row | undefined {
  return db.prepare('SELECT id, name, json, created_at, updated_at FROM pipelines WHERE name = ?').get(name) as Row | undefined;
}

export function listPipelines(db: Db): PipelineSummary[] {
  const rows = db.prepare('SELECT id, name, json, created_at, updated_at FROM pipelines ORDER BY name COLLATE NOCASE').all() as Row[];
  return rows.map(summary);
}

export function getPipeline(db: Db, name: string): PipelineSummary & { pipeline: PipelineJson } {
  const row = find(db, name);
  if (!row) throw new ApiError('not_found', `There is no saved pipeline named "${name}".`);
  return { ...summary(row), pipeline: JSON.parse(row.json) as PipelineJson };
}

/** Validates, then saves the pipeline JSON exactly as given (so it loads back identical). */
export function savePipeline(db: Db, name: string, json: unknown, overwrite = true): PipelineSummary {
  const pipeline = parsePipeline(json, `Pipeline "${name}"`);
  const text = JSON.stringify(pipelineToJson(pipeline));
  const existing = find(db, name);
  if (existing && !overwrite) throw new ApiError('conflict', `A pipeline named "${name}" already exists; pick another name or overwrite it.`);
  if (existing) {
    db.prepare(`UPDATE pipelines SET json = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?`).run(text, existing.id);
  } else {
    db.prepare('INSERT INTO pipelines (name, json) VALUES (?, ?)').run(name, text);
  }
  return summary(find(db, name)!);
}

export function deletePipeline(db: Db, name: string): boolean {
  return db.prepare('DELETE FROM pipelines WHERE name = ?').run(name).changes > 0;
}

/** Reads and validates a pipeline file; errors name the file. */
export async function readPipelineFile(file: string): Promise<PipelineJson> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ApiError('not_found', `Pipeline file "${file}" does not exist.`);
    throw new ApiError('io_error', `Cannot read pipeline file "${file}": ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ApiError('invalid_input', `Pipeline file "${file}" is not valid JSON: ${(err as Error).message}`);
  }
  return pipelineToJson(parsePipeline(json, `Pipeline file "${file}"`));
}

export async function importPipelineFile(db: Db, file: string, name?: string, overwrite = false): Promise<PipelineSummary> {
  const json = await readPipelineFile(file);
  return savePipeline(db, name ?? path.basename(file).replace(/\.json$/i, ''), json, overwrite);
}

export async function exportPipelineFile(db: Db, name: string, file: string): Promise<string> {
  const { pipeline } = getPipeline(db, name);
  const target = path.resolve(file);
  await fs.writeFile(target, `${JSON.stringify(pipeline, null, 2)}\n`);
  return target;
}

/** Checks a pipeline and writes it as a JSON file (through a temporary name, so a failure leaves no half file). */
export async function writePipelineFile(json: unknown, file: string): Promise<string> {
  const target = path.resolve(file);
  const text = `${JSON.stringify(pipelineToJson(parsePipeline(json, 'The pipeline')), null, 2)}\n`;
  const tmp = `${target}.${process.pid}.tmp`;
  try {
    await fs.writeFile(tmp, text);
    await fs.rename(tmp, target);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw new ApiError('io_error', `Cannot write pipeline file "${target}": ${(err as Error).message}`);
  }
  return target;
}
