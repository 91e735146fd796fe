import { z } from 'zod';
import { pixelOp, type RawImage, type Size } from '../op.js';
import { colour, intRange, parseHexColour, range } from '../params.js';
import type { Box } from './crop.js';

/** Rectangles as fractions of the image, filled with `fill_colour`. */
export type CutoutConcrete = { rects: Box[]; fill_colour: string };

/** Whole-pixel rectangle [x0, x1) × [y0, y1) a fractional box covers. */
export function boxPixels(b: Box, size: Size): { x0: number; y0: number; x1: number; y1: number } {
  const clampX = (v: number) => Math.min(size.width, Math.max(0, Math.round(v * size.width)));
  const clampY = (v: number) => Math.min(size.height, Math.max(0, Math.round(v * size.height)));
  return { x0: clampX(b.x), y0: clampY(b.y), x1: clampX(b.x + b.w), y1: clampY(b.y + b.h) };
}

function fillRects(image: RawImage, rects: readonly Box[], fill: string): RawImage {
  const out = new Uint8Array(image.data);
  const [r, g, b] = parseHexColour(fill);
  const stride = image.width * 3;
  for (const rect of rects) {
    const { x0, y0, x1, y1 } = boxPixels(rect, image);
    for (let y = y0; y < y1; y++) {
      for (let i = y * stride + x0 * 3, end = y * stride + x1 * 3; i < end; i += 3) {
        out[i] = r;
        out[i + 1] = g;
        out[i + 2] = b;
      }
    }
  }
  return { data: out, width: image.width, height: image.height, channels: 3 };
}

export const cutout = pixelOp({
  id: 'cutout',
  label: 'Cutout',
  category: 'erasing',
  description: 'Erase random rectangles (torchvision RandomErasing: area share and aspect ratio per hole).',
  defaultP: 1,
  params: z.strictObject({
    holes: intRange(1, 50, [1, 1], 'Number of holes'),
    scale: range(0.001, 1, [0.02, 0.33], 'Area per hole (fraction of the image)', { step: 0.005 }),
    ratio: range(0.05, 20, [0.3, 3.3], 'Aspect ratio (height / width)'),
    fill_colour: colour('#000000', 'Fill colour'),
  }),
  sample: (rng, p, size): CutoutConcrete => {
    const holes = rng.int(p.holes[0], p.holes[1]);
    const lr0 = Math.log(p.ratio[0]);
    const lr1 = Math.log(p.ratio[1]);
    const area = size.width * size.height;
    const rects: Box[] = [];
    for (let k = 0; k < holes; k++) {
      for (let attempt = 0; attempt < 10; attempt++) {
        const target = area * rng.uniform(p.scale[0], p.scale[1]);
        const aspect = Math.exp(rng.uniform(lr0, lr1));
        const h = Math.sqrt(target * aspect);
        const w = Math.sqrt(target / aspect);
        if (h < size.height && w < size.width) {
          const x = rng.uniform(0, size.width - w);
          const y = rng.uniform(0, size.height - h);
          rects.push({ x: x / size.width, y: y / size.height, w: w / size.width, h: h / size.height });
          break;
        }
      }
    }
    return { rects, fill_colour: p.fill_colour };
  },
  apply: (image, c: CutoutConcrete) => fillRects(image, c.rects, c.fill_colour),
});
