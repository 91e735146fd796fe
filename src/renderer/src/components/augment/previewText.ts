import type { ConcreteOpInfo } from '../../../../shared/api/augment.js';

function num(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(2);
  if (Array.isArray(v)) return `[${v.map(num).join(', ')}]`;
  if (v && typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** "rotate angle=-12.30 · hflip": what made one variant, for its tooltip. */
export function describeOps(ops: readonly ConcreteOpInfo[]): string {
  if (ops.length === 0) return 'No op applied (each p missed)';
  return ops
    .map((o) => {
      const params = Object.entries(o.params).map(([k, v]) => `${k}=${num(v)}`);
      return params.length ? `${o.op} ${params.join(' ')}` : o.op;
    })
    .join('\n');
}
