import { parseHexColour } from '../params.js';
import type { EmitContext } from './emitter.js';

/** Python source for a number: integers stay integers, floats keep up to 6 significant decimals. */
export function pyNum(v: number): string {
  if (!Number.isFinite(v)) throw new RangeError(`cannot write ${v} as a Python number`);
  if (Number.isInteger(v)) return String(v);
  const s = String(Math.round(v * 1e6) / 1e6);
  return s.includes('.') || s.includes('e') ? s : `${s}.0`;
}

/** A float literal even for whole numbers (p=1.0, factors), as the target libraries document them. */
export function pyFloat(v: number): string {
  const s = pyNum(v);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

export function pyStr(s: string): string {
  return JSON.stringify(s);
}

export function pyTuple(values: readonly (number | string)[], float = true): string {
  const parts = values.map((v) => (typeof v === 'string' ? v : float ? pyFloat(v) : pyNum(v)));
  return parts.length === 1 ? `(${parts[0]},)` : `(${parts.join(', ')})`;
}

export function rgb(hex: string): [number, number, number] {
  return parseHexColour(hex);
}

/** A fill colour as a Python tuple of 0..255 ints. */
export function pyRgb(hex: string): string {
  return pyTuple(rgb(hex), false);
}

/** One list entry of generated code: a Python expression (null = nothing to emit) and the notes shown above it. */
export interface Item {
  readonly notes: readonly string[];
  readonly expr: string | null;
}

export const item = (expr: string | null, ...notes: string[]): Item => ({ expr, notes });

/** `# smallset: …` comment lines, wrapped so no line runs past ~110 columns. */
export function noteLines(notes: readonly string[], indent: string): string[] {
  const out: string[] = [];
  for (const note of notes) {
    const words = note.split(/\s+/);
    let line = `${indent}# smallset: `;
    let start = true;
    for (const w of words) {
      if (!start && line.length + w.length + 1 > 110) {
        out.push(line);
        line = `${indent}#   ${w}`;
      } else line += start ? w : ` ${w}`;
      start = false;
    }
    out.push(line);
  }
  return out;
}

/** Renders `open`, the items one per line (notes above, trailing commas), and `close`, nested expressions re-indented. */
export function renderList(open: string, items: readonly Item[], close: string, indent = ''): string {
  const inner = `${indent}    `;
  const lines = [open];
  for (const it of items) {
    lines.push(...noteLines(it.notes, inner));
    if (it.expr !== null) lines.push(`${inner}${it.expr.replace(/\n/g, `\n${inner}`)},`);
  }
  lines.push(`${indent}${close}`);
  return lines.join('\n');
}

/**
 * A whole Python file: the preamble (header, imports), the helper classes the pipeline used (in
 * `helpers`' order), IMAGE_SIZE when a crop needs it, then the pipeline assignment.
 */
export function pythonFile(preamble: readonly string[], helpers: Readonly<Record<string, string>>, ctx: EmitContext, assignment: string): string {
  const lines = [...preamble];
  for (const name of Object.keys(helpers)) if (ctx.helpers.has(name)) lines.push('', helpers[name]!, '', '');
  if (ctx.usesImageSize) lines.push(`IMAGE_SIZE = ${ctx.imageSize}  # side of your images in pixels (crop sizes depend on it)`, '');
  lines.push(assignment, '');
  return lines.join('\n').replace(/\n{4,}/g, '\n\n\n');
}
