import { z } from 'zod';
import { geometricOp, stage } from './geometric.js';

export type FlipConcrete = Record<string, never>;

const noParams = z.strictObject({});

export const hflip = geometricOp({
  id: 'hflip',
  label: 'Horizontal flip',
  category: 'geometric',
  description: 'Mirror left ↔ right.',
  defaultP: 0.5,
  params: noParams,
  sample: (): FlipConcrete => ({}),
  geometry: (_c: FlipConcrete, size) => stage([-1, 0, size.width - 1, 0, 1, 0, 0, 0, 1], size, size, null),
});

export const vflip = geometricOp({
  id: 'vflip',
  label: 'Vertical flip',
  category: 'geometric',
  description: 'Mirror top ↔ bottom.',
  defaultP: 0.5,
  params: noParams,
  sample: (): FlipConcrete => ({}),
  geometry: (_c: FlipConcrete, size) => stage([1, 0, 0, 0, -1, size.height - 1, 0, 0, 1], size, size, null),
});
