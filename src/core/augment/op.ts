import type { z } from 'zod';
import type { Rng } from './rng.js';

/**
 * Decoded pixels, interleaved RGB, row-major, no padding. Ops never modify the image they are
 * given (the source may be a cached decode); they return a new one.
 */
export interface RawImage {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly channels: 3;
}

export interface Size {
  readonly width: number;
  readonly height: number;
}

export type OpCategory = 'geometric' | 'colour' | 'detail' | 'noise' | 'erasing';
export type CompositeCategory = 'composition' | 'policy';

/** How a geometric op fills the area it uncovers (reflect = mirror without repeating the edge pixel). */
export const FILL_MODES = ['reflect', 'edge', 'constant'] as const;
export type FillMode = (typeof FILL_MODES)[number];

/** Row-major 3×3 matrix acting on homogeneous pixel-centre coordinates (pixel i sits at i). */
export type Mat3 = [number, number, number, number, number, number, number, number, number];

/**
 * One geometric op as a coordinate map, so consecutive ops can be resampled once.
 * `inverse` maps an output pixel position to where it comes from in this op's input.
 */
export interface GeometryStage {
  readonly inverse: Mat3;
  readonly inWidth: number;
  readonly inHeight: number;
  readonly outWidth: number;
  readonly outHeight: number;
  readonly fill: FillMode;
  readonly fillColour: readonly [number, number, number];
  /** True when every output pixel maps inside the input (flips, crops): no bounds check needed. */
  readonly insideOnly: boolean;
}

/** A leaf op: draws concrete parameters once, then applies them deterministically. */
export interface PixelOp<S extends z.ZodType = z.ZodType, C extends object = object> {
  readonly kind: 'pixel';
  readonly id: string;
  readonly label: string;
  readonly category: OpCategory;
  readonly description: string;
  /** The `p` a pipeline entry gets when it does not give one. */
  readonly defaultP: number;
  /** Parameters a pipeline entry may set (never `p`, which the pipeline owns). */
  readonly params: S;
  /** Draws concrete, JSON-serializable parameters; `size` is the image size at this point of the chain. */
  sample(rng: Rng, params: z.output<S>, size: Size): C;
  /** Deterministic: the same image and concrete parameters give the same bytes. */
  apply(image: RawImage, concrete: C): RawImage | Promise<RawImage>;
  /** Geometric ops describe themselves as a coordinate map so runs of them fuse into one resample. */
  geometry?(concrete: C, size: Size): GeometryStage;
  /** Size of the output for an input of `size`; the same size when absent. */
  outputSize?(concrete: C, size: Size): Size;
}

/** One op that applies, with the parameters it applies with. `path` locates it in the pipeline ("2.1" = ops[2].ops[1]). */
export interface ConcreteOp {
  readonly op: string;
  readonly params: Record<string, unknown>;
  readonly path: string;
}

export interface Expansion {
  readonly ops: ConcreteOp[];
  readonly size: Size;
}

/** A pipeline entry after validation: the op, its probability, parsed parameters and children. */
export interface OpNode {
  readonly op: AnyOp;
  readonly p: number;
  readonly params: Record<string, unknown>;
  readonly children: readonly OpNode[];
  readonly path: string;
}

export interface ExpandEnv {
  readonly children: readonly OpNode[];
  readonly path: string;
  /** Samples one child (its own `p` unless `force`), returning what it applies and the size after it. */
  sampleChild(child: OpNode, rng: Rng, size: Size, force: boolean): Expansion;
  /** A concrete leaf op built by a policy, validated against the registry. */
  leaf(op: string, params: Record<string, unknown>, size: Size): Expansion;
}

/** Composition and policy ops: they never touch pixels, they choose which leaf ops apply. */
export interface CompositeOp<S extends z.ZodType = z.ZodType> {
  readonly kind: 'composite';
  readonly id: string;
  readonly label: string;
  readonly category: CompositeCategory;
  readonly description: string;
  readonly defaultP: number;
  /** True when the entry holds child entries in `ops`. */
  readonly hasChildren: boolean;
  readonly params: S;
  expand(rng: Rng, params: z.output<S>, size: Size, env: ExpandEnv): Expansion;
  /** Checks parameters against the children (e.g. some_of's n); returns the field at fault. */
  checkChildren?(params: z.output<S>, children: readonly OpNode[]): { field: string; message: string } | null;
}

export type AnyOp = PixelOp | CompositeOp;

/** Keeps the schema and concrete types of one op while letting the registry hold them all. */
export function pixelOp<S extends z.ZodType, C extends object>(op: Omit<PixelOp<S, C>, 'kind'>): PixelOp<S, C> {
  return { kind: 'pixel', ...op };
}

export function compositeOp<S extends z.ZodType>(op: Omit<CompositeOp<S>, 'kind'>): CompositeOp<S> {
  return { kind: 'composite', ...op };
}
