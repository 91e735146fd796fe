import { z } from 'zod';

/** A small seeded generator (mulberry32): the same seed gives the same fuzz cases. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = Record<string, unknown>;

export class Fuzzer {
  constructor(private readonly random: () => number) {}

  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.random() * xs.length)]!;
  }

  chance(p: number): boolean {
    return this.random() < p;
  }

  /**
   * Strings a hostile caller would send. Paths are relative or point at a file, never at a folder
   * that holds much: the fuzzed server runs in an empty temp folder, so a "valid" import or export
   * stays inside it.
   */
  readonly strings = [
    '',
    ' ',
    'a',
    'cat',
    'job-1',
    'x'.repeat(5000),
    // One path component longer than file systems allow (255 bytes), in a path short enough.
    'y'.repeat(300),
    '日本語 😺',
    '../../../../../../../../etc/passwd',
    'no-such-folder/deeper',
    'out/export',
    '\u0000',
    '%2e%2e%2f',
    'null',
    '<script>alert(1)</script>',
    "'; DROP TABLE images; --",
    '__proto__',
    '-1',
    '1e309',
  ];
  readonly numbers = [0, 1, 2, 3, -1, 0.5, 7, 1e9, 2 ** 53 + 1, -0, 1e308, -1e308, 65536];

  junk(depth = 0): Json {
    const k = Math.floor(this.random() * (depth > 2 ? 5 : 8));
    switch (k) {
      case 0:
        return null;
      case 1:
        return this.chance(0.5);
      case 2:
        return this.pick(this.numbers);
      case 3:
      case 4:
        return this.pick(this.strings);
      case 5:
        return Array.from({ length: Math.floor(this.random() * 4) }, () => this.junk(depth + 1));
      case 6: {
        const o: Record<string, Json> = {};
        for (let i = Math.floor(this.random() * 4); i > 0; i--) o[this.pick(['a', 'id', 'datasetId', 'imageId', 'constructor', 'prototype', 'toString'])] = this.junk(depth + 1);
        return o;
      }
      default:
        return Array.from({ length: 3 }, () => this.pick(this.numbers));
    }
  }

  /** A value shaped like `schema` (JSON Schema from zod), sometimes in range, sometimes not. */
  fromSchema(schema: Schema, root: Schema, depth = 0): Json {
    if (depth > 6) return this.junk(3);
    if (typeof schema.$ref === 'string') {
      const name = schema.$ref.replace(/^#\/\$defs\//, '');
      const defs = (root.$defs ?? {}) as Record<string, Schema>;
      return defs[name] ? this.fromSchema(defs[name], root, depth + 1) : this.junk(depth);
    }
    if ('const' in schema) return schema.const as Json;
    if (Array.isArray(schema.enum)) return this.chance(0.9) ? (this.pick(schema.enum) as Json) : this.pick(this.strings);
    const alternatives = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
    if (alternatives?.length) return this.fromSchema(this.pick(alternatives), root, depth + 1);
    if (Array.isArray(schema.allOf) && schema.allOf.length) return this.fromSchema(schema.allOf[0] as Schema, root, depth + 1);
    const type = Array.isArray(schema.type) ? this.pick(schema.type as string[]) : (schema.type as string | undefined);
    switch (type) {
      case 'object': {
        const props = (schema.properties ?? {}) as Record<string, Schema>;
        const required = new Set((schema.required ?? []) as string[]);
        const o: Record<string, Json> = {};
        for (const [key, sub] of Object.entries(props)) {
          if (required.has(key) || this.chance(0.5)) o[key] = this.fromSchema(sub, root, depth + 1);
        }
        return o;
      }
      case 'array': {
        const items = (schema.items ?? {}) as Schema;
        const min = typeof schema.minItems === 'number' ? schema.minItems : 0;
        const n = min + Math.floor(this.random() * 3);
        return Array.from({ length: Math.min(n, 50) }, () => this.fromSchema(items, root, depth + 1));
      }
      case 'string':
        return this.chance(0.3) ? this.sizedString(schema) : this.pick(this.strings);
      case 'integer':
      case 'number':
        return this.chance(0.5) ? this.inRange(schema, type === 'integer') : this.pick(this.numbers);
      case 'boolean':
        return this.chance(0.5);
      case 'null':
        return null;
      default:
        return this.junk(depth + 1);
    }
  }

  private sizedString(schema: Schema): string {
    const min = typeof schema.minLength === 'number' ? schema.minLength : 1;
    const max = typeof schema.maxLength === 'number' ? schema.maxLength : 20;
    const n = Math.max(min, Math.min(max, min + Math.floor(this.random() * 8)));
    return Array.from({ length: n }, () => this.pick(['a', 'b', '1', '-', '_', '.'])).join('');
  }

  private inRange(schema: Schema, integer: boolean): number {
    const lo = typeof schema.minimum === 'number' ? schema.minimum : typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 1 : 0;
    const rawHi = typeof schema.maximum === 'number' ? schema.maximum : typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum - 1 : lo + 10;
    // Stay near the low end: a fuzzed "valid" training run should be small.
    const hi = Math.min(rawHi, lo + 10);
    const v = lo + this.random() * (hi - lo);
    return integer ? Math.round(v) : v;
  }

  /** Knocks one thing out of a shaped value: a field dropped, retyped or added. */
  mutate(value: Json): Json {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return this.junk();
    const o = { ...value };
    const keys = Object.keys(o);
    const k = Math.floor(this.random() * 3);
    if (k === 0 && keys.length) delete o[this.pick(keys)];
    else if (k === 1 && keys.length) o[this.pick(keys)] = this.junk(1);
    else o[this.pick(['extra', '__proto__', 'constructor'])] = this.junk(1);
    return o;
  }
}

export interface FuzzCase {
  method: string;
  /** How the input was made: 'junk' (any JSON), 'mutated' (schema-shaped, one field broken) or 'shaped'. */
  kind: 'junk' | 'mutated' | 'shaped';
  input: Json;
}

/** `perMethod` cases for each method, a third of each kind, reproducible from `seed`. */
export function fuzzCases(methods: Record<string, { input: z.ZodType }>, perMethod: number, seed: number): FuzzCase[] {
  const out: FuzzCase[] = [];
  for (const [method, def] of Object.entries(methods)) {
    const f = new Fuzzer(seeded(seed ^ hash(method)));
    const schema = z.toJSONSchema(def.input, { unrepresentable: 'any', io: 'input' }) as Schema;
    for (let i = 0; i < perMethod; i++) {
      const kind = (['junk', 'mutated', 'shaped'] as const)[i % 3]!;
      const shaped = kind === 'junk' ? null : f.fromSchema(schema, schema);
      out.push({ method, kind, input: kind === 'junk' ? f.junk() : kind === 'mutated' ? f.mutate(shaped) : shaped });
    }
  }
  return out;
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}
