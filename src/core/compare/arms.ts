import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { armSpec, comparePipeline, type ArmSpec, type ComparePipeline, type PresetId } from '../../shared/api/compare.js';
import { ApiError } from '../../shared/api/errors.js';
import { parsePipeline } from '../augment/pipeline.js';
import { DEFAULT_PIPELINE, getPreset, type PresetOptions } from './presets/index.js';

/**
 * The arms FILE: `{"version":1,"baseline":"raw","arms":[{"name":"raw"},{"name":"aug","pipeline":"aug.json","l2":0.001}]}`.
 * An arm's pipeline is inline, null (raw images) or a path to a pipeline file, relative to the arms file.
 */
const fileArm = armSpec.extend({ pipeline: z.union([z.string().min(1), comparePipeline]).nullable().default(null) });
const armsFileSchema = z.strictObject({
  version: z.literal(1).default(1),
  baseline: z.string().optional(),
  arms: z.array(z.unknown()).min(1, 'the file lists no arms').max(40, 'at most 40 arms'),
});

function armName(raw: unknown, index: number): string {
  const name = raw && typeof raw === 'object' && 'name' in raw && typeof raw.name === 'string' && raw.name.trim() ? raw.name.trim() : null;
  return name ? `arm "${name}" (#${index + 1})` : `arm #${index + 1}`;
}

function describe(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((i) => {
      const field = i.path.map(String).join('.');
      if (i.code === 'unrecognized_keys') return `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `"${k}"`).join(', ')}`;
      return field ? `field "${field}": ${i.message}` : i.message;
    })
    .join('; ');
}

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ApiError('io_error', `Cannot read ${what} ${file}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ApiError('invalid_input', `${what} ${file} is not valid JSON: ${(err as Error).message}`);
  }
}

/** Reads and checks a pipeline file; errors name the file. */
export function loadPipelineFile(file: string): ComparePipeline {
  const parsed = comparePipeline.safeParse(readJson(file, 'pipeline file'));
  if (!parsed.success) throw new ApiError('invalid_input', `Pipeline file ${file}: ${describe(parsed.error.issues)}`);
  return parsed.data;
}

export interface ArmsFile {
  arms: ArmSpec[];
  baseline?: string;
}

/** Parses an arms file; every error names the file, the arm and the field. A bare array of arms is accepted too. */
export function loadArmsFile(file: string): ArmsFile {
  const raw = readJson(file, 'arms file');
  const top = armsFileSchema.safeParse(Array.isArray(raw) ? { arms: raw } : raw);
  if (!top.success) throw new ApiError('invalid_input', `Arms file ${file}: ${describe(top.error.issues)}`);
  const arms = top.data.arms.map((entry, i) => {
    const arm = fileArm.safeParse(entry);
    if (!arm.success) throw new ApiError('invalid_input', `Arms file ${file}, ${armName(entry, i)}: ${describe(arm.error.issues)}`);
    const { pipeline } = arm.data;
    if (typeof pipeline !== 'string') return { ...arm.data, pipeline };
    const pipelineFile = path.resolve(path.dirname(file), pipeline);
    try {
      return { ...arm.data, pipeline: loadPipelineFile(pipelineFile) };
    } catch (err) {
      const e = err as ApiError;
      throw new ApiError(e.code ?? 'invalid_input', `Arms file ${file}, ${armName(entry, i)}, field "pipeline": ${e.message}`);
    }
  });
  return top.data.baseline === undefined ? { arms } : { arms, baseline: top.data.baseline };
}

export interface ResolvedArms {
  arms: ArmSpec[];
  baseline: string;
}

/**
 * Checks a list of arms as a whole: distinct names, a baseline that exists, and every pipeline
 * against the op registry, so a typo fails before any run is queued.
 */
export function checkArms(arms: readonly ArmSpec[], baseline: string | undefined): ResolvedArms {
  const seen = new Set<string>();
  arms.forEach((a, i) => {
    if (seen.has(a.name)) throw new ApiError('invalid_input', `arms: arm #${i + 1} repeats the name "${a.name}"; give each arm its own name.`);
    seen.add(a.name);
    if (a.pipeline) parsePipeline(a.pipeline, `Arm "${a.name}" (#${i + 1}), field "pipeline":`);
  });
  const first = arms[0];
  if (!first) throw new ApiError('invalid_input', 'arms: give at least one arm.');
  const base = baseline ?? first.name;
  if (!seen.has(base)) {
    throw new ApiError('invalid_input', `baseline: there is no arm named "${base}" (arms: ${[...seen].map((n) => `"${n}"`).join(', ')}).`);
  }
  return { arms: [...arms], baseline: base };
}

/** The arms a preset builds from a pipeline (the default pipeline when none is given). */
export function presetArms(id: PresetId, pipeline: ComparePipeline | null | undefined, options: PresetOptions = {}): ResolvedArms {
  const preset = getPreset(id);
  if (preset.needsBackbone && !options.backbone) {
    throw new ApiError('invalid_input', `backbone: the ${preset.label} preset needs a backbone (see \`smallset backbone list\`; CLI: --backbone NAME).`);
  }
  const source = pipeline ?? DEFAULT_PIPELINE;
  if (source.ops.length < preset.minOps) {
    throw new ApiError(
      'invalid_input',
      `pipeline: the ${preset.label} preset needs a pipeline with at least ${preset.minOps} ops at the top level; this one has ${source.ops.length}.`,
    );
  }
  const { arms, baseline } = preset.build(source, options);
  return checkArms(arms, baseline);
}
