import { z } from 'zod';
import { fillParams, range } from '../params.js';
import { homography } from '../pixels/matrix.js';
import { geometricOp, stage, type FillConcrete } from './geometric.js';

/**
 * Where the four corners (top-left, top-right, bottom-right, bottom-left) go, as fractions of
 * width and height; the image is warped so each corner lands there (torchvision RandomPerspective).
 */
export type PerspectiveConcrete = { corners: [number, number][] } & FillConcrete;

export const perspective = geometricOp({
  id: 'perspective',
  label: 'Perspective',
  category: 'geometric',
  description: 'Pull each corner inwards by a random amount, as if seen from an angle.',
  defaultP: 1,
  params: z.strictObject({
    distortion: range(0, 1, [0, 0.5], 'Distortion (fraction of half the side)'),
    ...fillParams,
  }),
  sample: (rng, p): PerspectiveConcrete => {
    const d = rng.uniform(p.distortion[0], p.distortion[1]) / 2;
    const inward = (): number => d * rng.next();
    const tl: [number, number] = [inward(), inward()];
    const tr: [number, number] = [1 - inward(), inward()];
    const br: [number, number] = [1 - inward(), 1 - inward()];
    const bl: [number, number] = [inward(), 1 - inward()];
    return { corners: [tl, tr, br, bl], fill: p.fill, fill_colour: p.fill_colour };
  },
  geometry: (c: PerspectiveConcrete, size) => {
    const W = size.width - 1;
    const H = size.height - 1;
    const from: [number, number][] = [[0, 0], [W, 0], [W, H], [0, H]];
    const to = c.corners.map(([x, y]) => [x * W, y * H] as [number, number]);
    // The resampler needs output → input, i.e. corners' destinations back to the image corners.
    return stage(homography(to, from), size, size, c);
  },
});
