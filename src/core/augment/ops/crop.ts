import { z } from 'zod';
import type { Size } from '../op.js';
import { choice, int, range } from '../params.js';
import { geometricOp, stage } from './geometric.js';

/** A box as fractions of the input (x, y = top-left; w, h = size), resolution independent. */
export type Box = { x: number; y: number; w: number; h: number };

/** The crop box plus the output size in pixels. */
export type RandomResizedCropConcrete = Box & { width: number; height: number };

/**
 * torchvision RandomResizedCrop.get_params on continuous fractions: ten tries at an area fraction
 * from `scale` and a log-uniform aspect ratio from `ratio`, else the centre crop nearest the ratio range.
 */
export function sampleResizedCropBox(next: () => number, size: Size, scale: readonly [number, number], ratio: readonly [number, number]): Box {
  const W = size.width;
  const H = size.height;
  const area = W * H;
  const lr0 = Math.log(ratio[0]);
  const lr1 = Math.log(ratio[1]);
  for (let attempt = 0; attempt < 10; attempt++) {
    const target = area * (scale[0] + (scale[1] - scale[0]) * next());
    const aspect = Math.exp(lr0 + (lr1 - lr0) * next());
    const w = Math.sqrt(target * aspect);
    const h = Math.sqrt(target / aspect);
    if (w > 0 && h > 0 && w <= W && h <= H) {
      const x = (W - w) * next();
      const y = (H - h) * next();
      return { x: x / W, y: y / H, w: w / W, h: h / H };
    }
  }
  const inRatio = W / H;
  let w = W;
  let h = H;
  if (inRatio < ratio[0]) h = w / ratio[0];
  else if (inRatio > ratio[1]) w = h * ratio[1];
  return { x: (W - w) / 2 / W, y: (H - h) / 2 / H, w: w / W, h: h / H };
}

export const randomResizedCrop = geometricOp({
  id: 'random_resized_crop',
  label: 'Random resized crop',
  category: 'geometric',
  description: 'Crop a random area and aspect ratio, then resize it to a fixed size (Inception-style).',
  defaultP: 1,
  params: z.strictObject({
    width: int(8, 4096, 224, 'Output width (px)'),
    height: int(8, 4096, 224, 'Output height (px)'),
    scale: range(0.01, 1, [0.08, 1], 'Area (fraction of the image)'),
    ratio: range(0.1, 10, [3 / 4, 4 / 3], 'Aspect ratio (width / height)'),
  }),
  sample: (rng, p, size): RandomResizedCropConcrete => ({
    ...sampleResizedCropBox(rng.next, size, p.scale, p.ratio),
    width: p.width,
    height: p.height,
  }),
  geometry: (c: RandomResizedCropConcrete, size) => {
    const sx = (c.w * size.width) / c.width;
    const sy = (c.h * size.height) / c.height;
    const ox = c.x * size.width + 0.5 * sx - 0.5;
    const oy = c.y * size.height + 0.5 * sy - 0.5;
    return stage([sx, 0, ox, 0, sy, oy, 0, 0, 1], size, { width: c.width, height: c.height }, null);
  },
});

export type CropConcrete = Box;

/** Pixel rectangle of a fractional crop: whole pixels, at least 1×1, inside the image. */
export function cropPixels(c: Box, size: Size): { left: number; top: number; width: number; height: number } {
  const width = Math.min(size.width, Math.max(1, Math.round(c.w * size.width)));
  const height = Math.min(size.height, Math.max(1, Math.round(c.h * size.height)));
  const left = Math.min(size.width - width, Math.max(0, Math.round(c.x * size.width)));
  const top = Math.min(size.height - height, Math.max(0, Math.round(c.y * size.height)));
  return { left, top, width, height };
}

export const crop = geometricOp({
  id: 'crop',
  label: 'Crop',
  category: 'geometric',
  description: 'Cut out a part of the image (same aspect ratio), at a random place or the centre; no resize.',
  defaultP: 1,
  params: z.strictObject({
    scale: range(0.05, 1, [0.8, 1], 'Side length (fraction of the image)'),
    position: choice(['random', 'center'], 'random', 'Where to crop'),
  }),
  sample: (rng, p): CropConcrete => {
    const s = rng.uniform(p.scale[0], p.scale[1]);
    const u = rng.next();
    const v = rng.next();
    const free = 1 - s;
    return p.position === 'center' ? { x: free / 2, y: free / 2, w: s, h: s } : { x: free * u, y: free * v, w: s, h: s };
  },
  geometry: (c: CropConcrete, size) => {
    const r = cropPixels(c, size);
    return stage([1, 0, r.left, 0, 1, r.top, 0, 0, 1], size, { width: r.width, height: r.height }, null);
  },
});
