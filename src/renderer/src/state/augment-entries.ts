import type { OpDescriptor, OpSpec, PipelineIssueInfo, PipelineSpec } from '../../../shared/api/augment.js';

/** One op in the editor: the pipeline entry plus what only the editor knows (its id, whether it is on). */
export interface Entry {
  uid: number;
  op: string;
  enabled: boolean;
  p: number;
  params: Record<string, unknown>;
  children: Entry[];
}

let nextUid = 1;

function copy<T>(v: T): T {
  return Array.isArray(v) ? (v.slice() as T) : v;
}

export function newEntry(desc: OpDescriptor): Entry {
  const params: Record<string, unknown> = {};
  for (const p of desc.params) params[p.name] = copy(p.default);
  return { uid: nextUid++, op: desc.id, enabled: true, p: desc.defaultP, params, children: [] };
}

/** Entries from a pipeline the engine has written out in full (validatePipeline's canonical form). */
export function entriesFrom(ops: readonly OpSpec[]): Entry[] {
  return ops.map((spec) => {
    const { op, p, ops: children, ...params } = spec;
    return { uid: nextUid++, op, enabled: true, p: p ?? 1, params, children: entriesFrom(children ?? []) };
  });
}

function specOf(e: Entry, onlyEnabled: boolean, ops: Map<string, OpDescriptor>): OpSpec {
  const spec: OpSpec = { op: e.op, p: e.p, ...e.params };
  if (ops.get(e.op)?.hasChildren || e.children.length) spec.ops = specsOf(e.children, onlyEnabled, ops);
  return spec;
}

function specsOf(list: readonly Entry[], onlyEnabled: boolean, ops: Map<string, OpDescriptor>): OpSpec[] {
  return list.filter((e) => !onlyEnabled || e.enabled).map((e) => specOf(e, onlyEnabled, ops));
}

/** The pipeline as the engine reads it; `onlyEnabled` leaves switched-off ops (and their children) out. */
export function pipelineOf(list: readonly Entry[], onlyEnabled: boolean, ops: Map<string, OpDescriptor>): PipelineSpec {
  return { version: 1, ops: specsOf(list, onlyEnabled, ops) };
}

/** Where an entry sits, as the engine names it in issues: "ops[2].ops[0]". */
export function entryPath(parent: string, index: number): string {
  return `${parent ? `${parent}.` : ''}ops[${index}]`;
}

/** Issues for one entry: those at its path; `field` null means the entry as a whole. */
export function issuesAt(issues: readonly PipelineIssueInfo[], at: string): PipelineIssueInfo[] {
  return issues.filter((i) => i.at === at);
}

/** Moves an item within its list; false when it would leave the list. */
export function moveWithin<T>(list: T[], from: number, to: number): boolean {
  if (from === to || from < 0 || to < 0 || from >= list.length || to >= list.length) return false;
  const [item] = list.splice(from, 1);
  list.splice(to, 0, item!);
  return true;
}

export function countOps(list: readonly Entry[]): number {
  return list.reduce((n, e) => n + 1 + countOps(e.children), 0);
}

function outside(v: unknown, min: number | undefined, max: number | undefined): boolean {
  if (typeof v !== 'number' || !Number.isFinite(v)) return true;
  return (min !== undefined && v < min) || (max !== undefined && v > max);
}

/**
 * A quick local look for what the engine would surely refuse (numbers out of their schema range,
 * empty fields, low above high, an empty group), so a preview is not sent only to be refused.
 * The engine's validation stays the judge and names the field.
 */
export function obviouslyInvalid(ops: readonly OpSpec[], byId: Map<string, OpDescriptor>): boolean {
  return ops.some((spec) => {
    const desc = byId.get(spec.op);
    if (!desc || outside(spec.p, 0, 1)) return true;
    for (const param of desc.params) {
      const v = spec[param.name];
      if (param.kind === 'range' || param.kind === 'int_range') {
        if (!Array.isArray(v) || v.length !== 2 || outside(v[0], param.min, param.max) || outside(v[1], param.min, param.max) || v[0] > v[1]) return true;
      } else if (param.kind === 'number' || param.kind === 'int') {
        if (outside(v, param.min, param.max)) return true;
      }
    }
    if (desc.hasChildren && (!spec.ops?.length || obviouslyInvalid(spec.ops, byId))) return true;
    if (typeof spec.n === 'number' && desc.hasChildren && spec.n > (spec.ops?.length ?? 0)) return true;
    return false;
  });
}

/** The pipeline with every number blanked: equal for two pipelines that differ only in slider values. */
export function shapeOf(pipeline: PipelineSpec): string {
  return JSON.stringify(pipeline, (_k, v: unknown) => (typeof v === 'number' ? 0 : v));
}
