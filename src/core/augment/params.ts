import { z } from 'zod';
import { FILL_MODES } from './op.js';

/**
 * Building blocks for op parameter schemas. Each carries its UI hints (`describe` = label,
 * `meta` = step / kind / unit), so z.toJSONSchema gives the sliders everything they need.
 */
interface Hints {
  step?: number;
  unit?: string;
}

function bounded(lo: number, hi: number, int: boolean): z.ZodNumber {
  const n = int ? z.number().int() : z.number();
  return n.min(lo).max(hi);
}

/** A [low, high] pair to draw uniformly from, e.g. degrees [-30, 30]. */
export function range(lo: number, hi: number, def: readonly [number, number], label: string, hints: Hints & { int?: boolean } = {}) {
  const n = bounded(lo, hi, hints.int ?? false);
  return z
    .tuple([n, n])
    .refine(([a, b]) => a <= b, 'the low end must not exceed the high end')
    .default([def[0], def[1]])
    .describe(label)
    .meta({ kind: hints.int ? 'int_range' : 'range', step: hints.step ?? (hints.int ? 1 : 0.01), ...(hints.unit ? { unit: hints.unit } : {}) });
}

export function intRange(lo: number, hi: number, def: readonly [number, number], label: string, hints: Hints = {}) {
  return range(lo, hi, def, label, { ...hints, int: true });
}

export function number(lo: number, hi: number, def: number, label: string, hints: Hints = {}) {
  return bounded(lo, hi, false)
    .default(def)
    .describe(label)
    .meta({ kind: 'number', step: hints.step ?? 0.01, ...(hints.unit ? { unit: hints.unit } : {}) });
}

export function int(lo: number, hi: number, def: number, label: string, hints: Hints = {}) {
  return bounded(lo, hi, true)
    .default(def)
    .describe(label)
    .meta({ kind: 'int', step: hints.step ?? 1, ...(hints.unit ? { unit: hints.unit } : {}) });
}

export function choice<const T extends readonly [string, ...string[]]>(options: T, def: T[number], label: string) {
  return z.enum(options).default(def as never).describe(label).meta({ kind: 'enum' });
}

export function flag(def: boolean, label: string) {
  return z.boolean().default(def).describe(label).meta({ kind: 'boolean' });
}

export const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/;

export function colour(def: string, label: string) {
  return z
    .string()
    .regex(HEX_COLOUR, 'use a colour like #000000')
    .default(def)
    .describe(label)
    .meta({ kind: 'colour' });
}

/** `fill` + `fill_colour`, shared by every op that uncovers area. */
export const fillParams = {
  fill: choice(FILL_MODES, 'constant', 'Fill uncovered area'),
  fill_colour: colour('#000000', 'Fill colour (constant fill)'),
};

export function parseHexColour(hex: string): [number, number, number] {
  const v = Number.parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}
