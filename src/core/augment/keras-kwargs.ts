import { ApiError } from '../../shared/api/errors.js';

/** A value that is not a literal (e.g. a function name), kept as its source text. */
export interface PythonExpression {
  readonly python: string;
}

export type KwargValue = number | string | boolean | null | KwargValue[] | PythonExpression;

/**
 * Reads the keyword arguments of a pasted Python call such as
 * `datagen = ImageDataGenerator(rotation_range=40, zoom_range=[0.8, 1.2], horizontal_flip=True, rescale=1./255)`
 * (or a bare `rotation_range=40, ...` list). Literals only: numbers (and one `a/b` division),
 * True/False/None, quoted strings, lists and tuples; anything else is kept as a PythonExpression.
 */
export function parseKerasCall(text: string): Record<string, KwargValue> {
  let body = stripComments(text).trim();
  const call = /ImageDataGenerator\s*\(/.exec(body);
  if (call) {
    const open = call.index + call[0].length - 1;
    const close = matchingParen(body, open);
    body = body.slice(open + 1, close);
  }
  const out: Record<string, KwargValue> = {};
  for (const part of splitTopLevel(body)) {
    if (!part.trim()) continue;
    const eq = part.indexOf('=');
    if (eq < 0) throw new ApiError('invalid_input', `Keras config: "${part.trim()}" is not a keyword argument (write name=value, e.g. rotation_range=40).`);
    const key = part.slice(0, eq).trim();
    if (!/^[A-Za-z_]\w*$/.test(key)) throw new ApiError('invalid_input', `Keras config: "${key}" is not a keyword name.`);
    out[key] = parseValue(part.slice(eq + 1).trim());
  }
  return out;
}

/** Drops `# …` comments (outside quotes) so pasted, commented code reads cleanly. */
function stripComments(s: string): string {
  let out = '';
  let quote: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (quote) {
      if (ch === quote && s[i - 1] !== '\\') quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '#') {
      while (i < s.length && s[i] !== '\n') i++;
      out += '\n';
      continue;
    }
    out += ch;
  }
  return out;
}

function matchingParen(s: string, open: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = open; i < s.length; i++) {
    const ch = s[i]!;
    if (quote) {
      if (ch === quote && s[i - 1] !== '\\') quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') {
      depth--;
      if (depth === 0) return i;
    }
  }
  throw new ApiError('invalid_input', 'Keras config: the ImageDataGenerator( … ) call is not closed.');
}

function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (quote) {
      if (ch === quote && s[i - 1] !== '\\') quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(s.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(s.slice(start));
  return parts;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function parseValue(v: string): KwargValue {
  if (v === 'True') return true;
  if (v === 'False') return false;
  if (v === 'None') return null;
  if (NUMBER.test(v)) return Number(v);
  const division = /^(.+)\/(.+)$/.exec(v);
  if (division && NUMBER.test(division[1]!.trim()) && NUMBER.test(division[2]!.trim())) {
    return Number(division[1]!.trim()) / Number(division[2]!.trim());
  }
  const quoted = /^(['"])(.*)\1$/s.exec(v);
  if (quoted) return quoted[2]!;
  if ((v.startsWith('[') && v.endsWith(']')) || (v.startsWith('(') && v.endsWith(')'))) {
    return splitTopLevel(v.slice(1, -1))
      .map((p) => p.trim())
      .filter((p) => p.length > 0)
      .map(parseValue);
  }
  return { python: v };
}
