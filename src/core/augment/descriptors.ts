import { z } from 'zod';
import type { OpDescriptor, ParamDescriptor } from '../../shared/api/augment.js';
import type { AnyOp } from './op.js';
import { registry } from './registry.js';

type JsonSchema = {
  type?: string;
  description?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  enum?: unknown[];
  prefixItems?: JsonSchema[];
  kind?: string;
  step?: number;
  unit?: string;
  properties?: Record<string, JsonSchema>;
};

/** The op's parameter schema as JSON Schema (draft 2020-12), UI hints included. */
export function paramsJsonSchema(op: AnyOp): Record<string, unknown> {
  return z.toJSONSchema(op.params, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

function describeParam(name: string, s: JsonSchema): ParamDescriptor {
  const item = s.prefixItems?.[0];
  const kind = (s.kind ?? (s.type === 'boolean' ? 'boolean' : s.enum ? 'enum' : s.type === 'integer' ? 'int' : 'number')) as ParamDescriptor['kind'];
  const min = item?.minimum ?? s.minimum;
  const max = item?.maximum ?? s.maximum;
  return {
    name,
    label: s.description ?? name,
    kind,
    default: s.default as ParamDescriptor['default'],
    ...(min !== undefined ? { min } : {}),
    ...(max !== undefined ? { max } : {}),
    ...(s.step !== undefined ? { step: s.step } : {}),
    ...(s.unit !== undefined ? { unit: s.unit } : {}),
    ...(s.enum ? { options: s.enum.map(String) } : {}),
  };
}

/** One op as data for the UI and for exporters, derived from its zod schema. */
export function describeOp(op: AnyOp): OpDescriptor {
  const schema = paramsJsonSchema(op);
  const props = (schema as JsonSchema).properties ?? {};
  return {
    id: op.id,
    label: op.label,
    category: op.category,
    description: op.description,
    defaultP: op.defaultP,
    hasChildren: op.kind === 'composite' && op.hasChildren,
    params: Object.entries(props).map(([name, s]) => describeParam(name, s)),
    schema,
  };
}

export function describeRegistry(): OpDescriptor[] {
  return registry.map(describeOp);
}
