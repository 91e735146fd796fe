import { ApiError } from '../../shared/api/errors.js';
import type { ConcreteOp, ExpandEnv, Expansion, OpNode, Size } from './op.js';
import type { Pipeline } from './pipeline.js';
import { findPixelOp } from './registry.js';
import type { Rng } from './rng.js';

function leaf(opId: string, params: Record<string, unknown>, path: string, size: Size): Expansion {
  const op = findPixelOp(opId);
  if (!op) throw new ApiError('internal', `policy produced unknown op "${opId}"`);
  return { ops: [{ op: opId, params, path }], size: op.outputSize ? op.outputSize(params, size) : size };
}

/**
 * Samples one node. Every node forks its own RNG from the parent first, so one op's draws never
 * shift another's: changing a slider changes only that op's contribution.
 */
export function sampleNode(node: OpNode, parent: Rng, size: Size, force = false): Expansion {
  const rng = parent.fork();
  if (!rng.chance(force ? 1 : node.p)) return { ops: [], size };
  const op = node.op;
  if (op.kind === 'pixel') {
    const params = op.sample(rng, node.params, size) as Record<string, unknown>;
    return { ops: [{ op: op.id, params, path: node.path }], size: op.outputSize ? op.outputSize(params, size) : size };
  }
  const env: ExpandEnv = {
    children: node.children,
    path: node.path,
    sampleChild: (child, r, s, f) => sampleNode(child, r, s, f),
    leaf: (id, params, s) => leaf(id, params, node.path, s),
  };
  return op.expand(rng, node.params, size, env);
}

/** Samples a whole pipeline for an image of `size`: the concrete ops that apply, in order, and the final size. */
export function samplePipeline(pipeline: Pipeline | readonly OpNode[], rng: Rng, size: Size): Expansion {
  const nodes = 'nodes' in pipeline ? pipeline.nodes : pipeline;
  const ops: ConcreteOp[] = [];
  let current = size;
  for (const node of nodes) {
    const r = sampleNode(node, rng, current);
    ops.push(...r.ops);
    current = r.size;
  }
  return { ops, size: current };
}

/** The concrete ops a pipeline applies to one sample (see `sampleRng` for the per-sample RNG). */
export function sampleOps(pipeline: Pipeline | readonly OpNode[], rng: Rng, size: Size): ConcreteOp[] {
  return samplePipeline(pipeline, rng, size).ops;
}
