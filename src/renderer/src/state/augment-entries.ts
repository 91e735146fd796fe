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
