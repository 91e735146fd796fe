import { z } from 'zod';
import type { Mat3 } from '../op.js';
import { fillParams, intRange, range } from '../params.js';
import { inverseAboutCentre } from '../pixels/matrix.js';
import { geometricOp, stage, type FillConcrete } from './geometric.js';

/** `angle` in degrees, counter-clockwise (torchvision convention), about the image centre; same output size. */
export type RotateConcrete = { angle: number } & FillConcrete;

export const rotate = geometricOp({
  id: 'rotate',
  label: 'Rotate',
  category: 'geometric',
  description: 'Rotate by a random angle about the centre; the corners it uncovers are filled.',
  defaultP: 1,
  params: z.strictObject({
    degrees: range(-180, 180, [-30, 30], 'Angle (degrees, counter-clockwise)', { step: 1, unit: '°' }),
    ...fillParams,
  }),
  sample: (rng, p): RotateConcrete => ({
    angle: rng.uniform(p.degrees[0], p.degrees[1]),
    fill: p.fill,
    fill_colour: p.fill_colour,
  }),
  geometry: (c: RotateConcrete, size) => {
    const t = (c.angle * Math.PI) / 180;
    const cos = Math.cos(t);
    const sin = Math.sin(t);
    return stage(inverseAboutCentre(cos, sin, -sin, cos, size.width, size.height), size, size, c);
  },
});

/** `k` quarter turns counter-clockwise (numpy rot90); odd k swaps width and height. */
export type Rotate90Concrete = { k: number };

function quarterTurns(k: number, w: number, h: number): Mat3 {
  switch (((k % 4) + 4) % 4) {
    case 1:
      return [0, -1, w - 1, 1, 0, 0, 0, 0, 1];
    case 2:
      return [-1, 0, w - 1, 0, -1, h - 1, 0, 0, 1];
    case 3:
      return [0, 1, 0, -1, 0, h - 1, 0, 0, 1];
    default:
      return [1, 0, 0, 0, 1, 0, 0, 0, 1];
  }
}

export const rotate90 = geometricOp({
  id: 'rotate90',
  label: 'Rotate 90°',
  category: 'geometric',
  description: 'Rotate by a whole number of quarter turns (exact, no interpolation).',
  defaultP: 1,
  params: z.strictObject({
    k: intRange(0, 3, [0, 3], 'Quarter turns (counter-clockwise)'),
  }),
  sample: (rng, p): Rotate90Concrete => ({ k: rng.int(p.k[0], p.k[1]) }),
  geometry: (c: Rotate90Concrete, size) => {
    const odd = c.k % 2 === 1;
    const out = odd ? { width: size.height, height: size.width } : size;
    return stage(quarterTurns(c.k, size.width, size.height), size, out, null);
  },
});
