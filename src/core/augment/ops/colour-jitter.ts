import { z } from 'zod';
import { pixelOp } from '../op.js';
import { range } from '../params.js';
import { meanLuma, saturate, shiftHue } from '../pixels/colour.js';
import { applyLut, makeLut } from '../pixels/lut.js';

/** Multiplier: 1 = unchanged (torchvision adjust_brightness / _contrast / _saturation). */
export type FactorConcrete = { factor: number };
/** Hue rotation in turns, −0.5…0.5 (torchvision adjust_hue). */
export type HueConcrete = { shift: number };

const factorParams = (label: string) => z.strictObject({ factor: range(0, 10, [0.8, 1.2], label) });

export const brightness = pixelOp({
  id: 'brightness',
  label: 'Brightness',
  category: 'colour',
  description: 'Multiply every value by a factor (0 = black, 1 = unchanged).',
  defaultP: 1,
  params: factorParams('Brightness factor'),
  sample: (rng, p): FactorConcrete => ({ factor: rng.uniform(p.factor[0], p.factor[1]) }),
  apply: (image, c: FactorConcrete) => applyLut(image, makeLut((v) => v * c.factor)),
});

export const contrast = pixelOp({
  id: 'contrast',
  label: 'Contrast',
  category: 'colour',
  description: 'Blend with the mean grey of the image (0 = flat grey, 1 = unchanged).',
  defaultP: 1,
  params: factorParams('Contrast factor'),
  sample: (rng, p): FactorConcrete => ({ factor: rng.uniform(p.factor[0], p.factor[1]) }),
  apply: (image, c: FactorConcrete) => {
    const mean = meanLuma(image);
    return applyLut(image, makeLut((v) => mean + c.factor * (v - mean)));
  },
});

export const saturation = pixelOp({
  id: 'saturation',
  label: 'Saturation',
  category: 'colour',
  description: 'Blend with the grey version of each pixel (0 = greyscale, 1 = unchanged).',
  defaultP: 1,
  params: factorParams('Saturation factor'),
  sample: (rng, p): FactorConcrete => ({ factor: rng.uniform(p.factor[0], p.factor[1]) }),
  apply: (image, c: FactorConcrete) => saturate(image, c.factor),
});

export const hue = pixelOp({
  id: 'hue',
  label: 'Hue',
  category: 'colour',
  description: 'Rotate the colour wheel by a fraction of a turn.',
  defaultP: 1,
  params: z.strictObject({ shift: range(-0.5, 0.5, [-0.05, 0.05], 'Hue shift (fraction of the colour wheel)') }),
  sample: (rng, p): HueConcrete => ({ shift: rng.uniform(p.shift[0], p.shift[1]) }),
  apply: (image, c: HueConcrete) => shiftHue(image, c.shift),
});
