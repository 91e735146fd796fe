import type { z } from 'zod';
import { ApiError } from '../../shared/api/errors.js';
import type { OpNode } from './op.js';
import { findOp, opIds } from './registry.js';

export const PIPELINE_VERSION = 1;

/** One pipeline entry as written in a pipeline file: `{"op": "rotate", "p": 1, "degrees": [-30, 30]}`. */
export type OpSpec = { op: string; p?: number; ops?: OpSpec[] } & Record<string, unknown>;
export type PipelineJson = { version: 1; ops: OpSpec[] };

/** A validated pipeline: the JSON exactly as given (for a lossless round trip) and its resolved nodes. */
export interface Pipeline {
  readonly json: PipelineJson;
  readonly nodes: readonly OpNode[];
}

/** What is wrong, where: `at` is "ops[2].ops[0]", `op` the op id there, `field` the parameter. */
export interface PipelineIssue {
  readonly at: string;
  readonly op: string | null;
  readonly field: string | null;
  readonly message: string;
}

export function describeIssue(i: PipelineIssue): string {
  const where = i.at ? `${i.at}${i.op ? ` (${i.op})` : ''}` : 'pipeline';
  return `${where}${i.field ? `, field "${i.field}"` : ''}: ${i.message}`;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function zodIssues(error: z.ZodError, at: string, op: string): PipelineIssue[] {
  const out: PipelineIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ at, op, field: key, message: `unknown field (${op} has no parameter "${key}")` });
    } else {
      out.push({ at, op, field: issue.path.length ? issue.path.map(String).join('.') : null, message: issue.message });
    }
  }
  return out;
}

function closest(id: string): string | null {
  let best: string | null = null;
  let bestScore = Infinity;
  for (const candidate of opIds) {
    const d = editDistance(id.toLowerCase(), candidate);
    if (d < bestScore) {
      bestScore = d;
      best = candidate;
    }
  }
  return bestScore <= 3 ? best : null;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_v, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

function parseOps(list: unknown, at: string, pathPrefix: string, issues: PipelineIssue[]): OpNode[] {
  if (!Array.isArray(list)) {
    issues.push({ at: at.replace(/\.?ops$/, ''), op: null, field: 'ops', message: 'must be a list of ops' });
    return [];
  }
  const nodes: OpNode[] = [];
  list.forEach((spec, index) => {
    const here = `${at}[${index}]`;
    const path = pathPrefix ? `${pathPrefix}.${index}` : String(index);
    if (!isPlainObject(spec)) {
      issues.push({ at: here, op: null, field: null, message: 'each op must be an object like {"op": "hflip", "p": 0.5}' });
      return;
    }
    const { op: id, p, ops: children, ...rest } = spec;
    if (typeof id !== 'string') {
      issues.push({ at: here, op: null, field: 'op', message: 'is missing (name the op, e.g. "op": "rotate")' });
      return;
    }
    const op = findOp(id);
    if (!op) {
      const hint = closest(id);
      issues.push({ at: here, op: id, field: 'op', message: `unknown op "${id}"${hint ? ` (did you mean "${hint}"?)` : ''}` });
      return;
    }
    const before = issues.length;
    let prob = op.defaultP;
    if (p !== undefined) {
      if (typeof p !== 'number' || !Number.isFinite(p) || p < 0 || p > 1) {
        issues.push({ at: here, op: id, field: 'p', message: `must be a probability between 0 and 1, got ${JSON.stringify(p)}` });
      } else prob = p;
    }
    let childNodes: OpNode[] = [];
    const hasChildren = op.kind === 'composite' && op.hasChildren;
    if (hasChildren) {
      if (!Array.isArray(children) || children.length === 0) {
        issues.push({ at: here, op: id, field: 'ops', message: `${id} needs a non-empty list of child ops in "ops"` });
      } else childNodes = parseOps(children, `${here}.ops`, path, issues);
    } else if (children !== undefined) {
      issues.push({ at: here, op: id, field: 'ops', message: `unknown field (${id} has no child ops)` });
    }
    const parsed = op.params.safeParse(rest);
    if (!parsed.success) issues.push(...zodIssues(parsed.error, here, id));
    if (issues.length > before || !parsed.success) return;
    const params = parsed.data as Record<string, unknown>;
    if (op.kind === 'composite' && op.checkChildren) {
      const bad = op.checkChildren(params, childNodes);
      if (bad) {
        issues.push({ at: here, op: id, ...bad });
        return;
      }
    }
    nodes.push({ op, p: prob, params, children: childNodes, path });
  });
  return nodes;
}

/** Validates a pipeline, returning every problem found (for editors) instead of throwing. */
export function checkPipeline(json: unknown): { pipeline: Pipeline; issues: [] } | { pipeline: null; issues: PipelineIssue[] } {
  const issues: PipelineIssue[] = [];
  if (!isPlainObject(json)) {
    return { pipeline: null, issues: [{ at: '', op: null, field: null, message: 'a pipeline is an object like {"version": 1, "ops": [...]}' }] };
  }
  for (const key of Object.keys(json)) {
    if (key !== 'version' && key !== 'ops') issues.push({ at: '', op: null, field: key, message: 'unknown field (a pipeline has only "version" and "ops")' });
  }
  if (json.version === undefined) issues.push({ at: '', op: null, field: 'version', message: `is missing (use ${PIPELINE_VERSION})` });
  else if (json.version !== PIPELINE_VERSION) {
    issues.push({
      at: '',
      op: null,
      field: 'version',
      message: `version ${JSON.stringify(json.version)} is not supported; this Smallset Studio reads version ${PIPELINE_VERSION}`,
    });
  }
  const nodes = parseOps(json.ops, 'ops', '', issues);
  if (issues.length) return { pipeline: null, issues };
  return { pipeline: { json: structuredClone(json) as PipelineJson, nodes }, issues: [] };
}

/** Validates a pipeline or throws an `invalid_input` ApiError naming each op index, op id and field at fault. */
export function parsePipeline(json: unknown, source = 'Pipeline'): Pipeline {
  const r = checkPipeline(json);
  if (r.pipeline) return r.pipeline;
  throw new ApiError('invalid_input', `${source} is not valid: ${r.issues.map(describeIssue).join('; ')}`);
}

/** The pipeline JSON exactly as it was given (JSON → pipeline → JSON is the identity). */
export function pipelineToJson(pipeline: Pipeline): PipelineJson {
  return structuredClone(pipeline.json);
}

/** The same pipeline with every default written out (what export manifests record). */
export function canonicalPipelineJson(pipeline: Pipeline): PipelineJson {
  const spec = (node: OpNode): OpSpec => ({
    op: node.op.id,
    p: node.p,
    ...node.params,
    ...(node.children.length ? { ops: node.children.map(spec) } : {}),
  });
  return { version: 1, ops: pipeline.nodes.map(spec) };
}
