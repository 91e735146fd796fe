import { z } from 'zod';
import { fillParams, range } from '../params.js';
import { inverseAboutCentre, invert, translation } from '../pixels/matrix.js';
import { geometricOp, stage, type FillConcrete } from './geometric.js';

/** Shift as fractions of width / height (positive = right / down), so it means the same at any resolution. */
export type TranslateConcrete = { tx: number; ty: number } & FillConcrete;

export const translate = geometricOp({
  id: 'translate',
  label: 'Translate',
  category: 'geometric',
  description: 'Shift the image by a fraction of its width and height.',
  defaultP: 1,
  params: z.strictObject({
    x: range(-1, 1, [-0.1, 0.1], 'Horizontal shift (fraction of width)'),
    y: range(-1, 1, [-0.1, 0.1], 'Vertical shift (fraction of height)'),
    ...fillParams,
  }),
  sample: (rng, p): TranslateConcrete => ({
    tx: rng.uniform(p.x[0], p.x[1]),
    ty: rng.uniform(p.y[0], p.y[1]),
    fill: p.fill,
    fill_colour: p.fill_colour,
  }),
  geometry: (c: TranslateConcrete, size) => stage(invert(translation(c.tx * size.width, c.ty * size.height)), size, size, c),
});

/** `scale` > 1 enlarges the content (zooms in), < 1 shrinks it and fills the border; about the centre. */
export type ZoomConcrete = { scale: number } & FillConcrete;

export const zoom = geometricOp({
  id: 'zoom',
  label: 'Zoom',
  category: 'geometric',
  description: 'Scale the content about the centre, keeping the image size (> 1 zooms in).',
  defaultP: 1,
  params: z.strictObject({
    scale: range(0.1, 10, [0.8, 1.2], 'Zoom factor'),
    ...fillParams,
  }),
  sample: (rng, p): ZoomConcrete => ({ scale: rng.uniform(p.scale[0], p.scale[1]), fill: p.fill, fill_colour: p.fill_colour }),
  geometry: (c: ZoomConcrete, size) => stage(inverseAboutCentre(c.scale, 0, 0, c.scale, size.width, size.height), size, size, c),
});

/**
 * Shear angles in degrees about the centre: `x` slants vertical lines (x' = x + tan(x°)·y), then
 * `y` slants horizontal lines (y' = y + tan(y°)·x'); composed this way it is always invertible.
 */
export type ShearConcrete = { x: number; y: number } & FillConcrete;

export const shear = geometricOp({
  id: 'shear',
  label: 'Shear',
  category: 'geometric',
  description: 'Slant the image horizontally and/or vertically about the centre.',
  defaultP: 1,
  params: z.strictObject({
    x: range(-80, 80, [-15, 15], 'Horizontal shear (degrees)', { step: 1, unit: '°' }),
    y: range(-80, 80, [0, 0], 'Vertical shear (degrees)', { step: 1, unit: '°' }),
    ...fillParams,
  }),
  sample: (rng, p): ShearConcrete => ({
    x: rng.uniform(p.x[0], p.x[1]),
    y: rng.uniform(p.y[0], p.y[1]),
    fill: p.fill,
    fill_colour: p.fill_colour,
  }),
  geometry: (c: ShearConcrete, size) => {
    const sx = Math.tan((c.x * Math.PI) / 180);
    const sy = Math.tan((c.y * Math.PI) / 180);
    return stage(inverseAboutCentre(1, sx, sy, 1 + sx * sy, size.width, size.height), size, size, c);
  },
});
