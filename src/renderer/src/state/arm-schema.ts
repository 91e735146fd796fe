import type { z } from 'zod';
import { armSpec } from '../../../shared/api/compare.js';

/** A field an arm can set, described from the contract's schema so new options show up on their own. */
export type ArmField =
  | { key: string; kind: 'number'; min: number; max: number; int: boolean; nullable: boolean }
  | { key: string; kind: 'boolean' }
  | { key: string; kind: 'enum'; options: string[]; nullable: boolean };

interface Def {
  type: string;
  innerType?: z.ZodType;
  entries?: Record<string, string>;
}

function def(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

function describe(key: string, schema: z.ZodType): ArmField | null {
  let s = schema;
  let nullable = false;
  for (let i = 0; i < 6; i++) {
    const d = def(s);
    if ((d.type === 'default' || d.type === 'optional' || d.type === 'nullable' || d.type === 'prefault') && d.innerType) {
      if (d.type === 'nullable') nullable = true;
      s = d.innerType;
      continue;
    }
    break;
  }
  const d = def(s);
  if (d.type === 'boolean') return { key, kind: 'boolean' };
  if (d.type === 'enum' && d.entries) return { key, kind: 'enum', options: Object.values(d.entries), nullable };
  if (d.type === 'number') {
    const n = s as unknown as { minValue: number | null; maxValue: number | null; isInt: boolean };
    return { key, kind: 'number', min: n.minValue ?? 0, max: n.maxValue ?? 1000, int: Boolean(n.isInt), nullable };
  }
  return null;
}

/** Every simple field of an arm (numbers, switches, choices) in the schema's order. */
export const armFields: readonly ArmField[] = Object.entries(armSpec.shape)
  .map(([key, schema]) => describe(key, schema as z.ZodType))
  .filter((f): f is ArmField => f !== null);

export function armField(key: string): ArmField | undefined {
  return armFields.find((f) => f.key === key);
}
