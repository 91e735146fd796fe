import type { OpNode } from '../op.js';
import type { Item } from './python.js';

export type CodeTarget = 'keras' | 'albumentations' | 'torchvision';
export const CODE_TARGETS: readonly CodeTarget[] = ['keras', 'albumentations', 'torchvision'];

export interface CodegenOptions {
  /** Image side in pixels, written as IMAGE_SIZE for the ops whose target needs pixel sizes (crop). Default 224. */
  readonly imageSize?: number;
}

/** What an emitter records while it writes: helper code it needs, whether IMAGE_SIZE is used. */
export interface EmitContext {
  readonly imageSize: number;
  readonly helpers: Set<string>;
  usesImageSize: boolean;
}

/** Params of one op after validation (defaults filled), as the op's zod schema outputs them. */
export type Params = Record<string, unknown>;

export interface TargetEmitter {
  /** Human name for notes ("Keras", "Albumentations", "torchvision"). */
  readonly name: string;
  /** One leaf op (or a policy) applied with probability p. */
  leaf(op: string, params: Params, p: number, ctx: EmitContext): Item;
  /** one_of / some_of: `emitChild` writes a child with the p it should carry. */
  composite(node: OpNode, p: number, ctx: EmitContext, emitChild: (child: OpNode, p: number) => Item): Item;
  /** The whole file: imports, helpers, the pipeline object. */
  file(items: readonly Item[], ctx: EmitContext, header: readonly string[]): string;
}

/** The usual note for an op a target cannot express: it is listed, never silently dropped. */
export function noEquivalent(op: string, target: string, why: string): string {
  return `${op} has no ${target} equivalent; ${why}`;
}

/** A composite's children as written, and the ones that produced code (the rest are notes only). */
export function splitChildren(node: OpNode, emit: (child: OpNode) => Item): { all: Item[]; kept: { node: OpNode; item: Item }[] } {
  const all = node.children.map((c) => ({ node: c, item: emit(c) }));
  return { all: all.map((a) => a.item), kept: all.filter((a) => a.item.expr !== null) };
}

/** some_of's n over the children that have code: fewer left than n means n shrinks, with a note. */
export function someOfCount(node: OpNode, kept: number, notes: string[]): number {
  const n = node.params.n as number;
  if (kept >= n) return n;
  notes.push(`some_of: ${node.children.length - kept} of its ops have no equivalent here, so it picks ${kept} instead of ${n}`);
  return kept;
}

export const range = (v: unknown) => v as [number, number];
export const num = (v: unknown) => v as number;
export const str = (v: unknown) => v as string;
