import { ApiError } from '../../../shared/api/errors.js';
import type { OpNode } from '../op.js';
import { canonicalPipelineJson, parsePipeline, type Pipeline } from '../pipeline.js';
import { albumentationsEmitter } from './albumentations.js';
import { CODE_TARGETS, type CodeTarget, type CodegenOptions, type EmitContext, type TargetEmitter } from './emitter.js';
import { kerasEmitter } from './keras.js';
import type { Item } from './python.js';
import { torchvisionEmitter } from './torchvision.js';

const EMITTERS: Record<CodeTarget, TargetEmitter> = {
  keras: kerasEmitter,
  albumentations: albumentationsEmitter,
  torchvision: torchvisionEmitter,
};

export interface ExportedCode {
  readonly code: string;
  /** Every `# smallset:` note in the code (differences and ops without an equivalent), for the UI. */
  readonly notes: string[];
}

function emitNode(node: OpNode, p: number, emitter: TargetEmitter, ctx: EmitContext): Item {
  if (node.op.kind === 'composite' && node.op.hasChildren) {
    return emitter.composite(node, p, ctx, (child, childP) => emitNode(child, childP, emitter, ctx));
  }
  return emitter.leaf(node.op.id, node.params, p, ctx);
}

function collectNotes(code: string): string[] {
  const notes: string[] = [];
  for (const line of code.split('\n')) {
    const t = line.trim();
    if (t.startsWith('# smallset: ')) notes.push(t.slice('# smallset: '.length));
    else if (t.startsWith('#   ') && notes.length) notes[notes.length - 1] += ` ${t.slice(4)}`;
  }
  return notes;
}

/**
 * Writes a pipeline as Python for Keras preprocessing layers, Albumentations or torchvision
 * transforms v2: probabilities, nesting (one_of / some_of) and unit conversions included. An op a
 * target cannot express, or expresses differently, gets a `# smallset: …` comment in place; nothing
 * is dropped silently.
 */
export function exportPipelineCode(pipeline: Pipeline | unknown, target: CodeTarget, options: CodegenOptions = {}): ExportedCode {
  if (!CODE_TARGETS.includes(target)) {
    throw new ApiError('invalid_input', `target "${String(target)}" is not one of ${CODE_TARGETS.join(', ')}.`);
  }
  const parsed = typeof pipeline === 'object' && pipeline !== null && 'nodes' in pipeline ? (pipeline as Pipeline) : parsePipeline(pipeline);
  const emitter = EMITTERS[target];
  const ctx: EmitContext = { imageSize: options.imageSize ?? 224, helpers: new Set(), usesImageSize: false };
  const items = parsed.nodes.map((node) => emitNode(node, node.p, emitter, ctx));
  const header = [
    `# ${emitter.name} augmentation exported by Smallset Studio.`,
    `# Pipeline: ${JSON.stringify(canonicalPipelineJson(parsed))}`,
  ];
  const code = emitter.file(items, ctx, header);
  return { code, notes: collectNotes(code) };
}

export { CODE_TARGETS, type CodeTarget } from './emitter.js';
