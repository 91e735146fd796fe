import { z } from 'zod';
import { pixelOp, type RawImage } from '../op.js';
import { intRange, range } from '../params.js';
import { grayscale as toGray } from '../pixels/colour.js';
import { applyLut, histograms, makeLut } from '../pixels/lut.js';

export type GammaConcrete = { gamma: number };
export type PosterizeConcrete = { bits: number };
/** Values at or above `threshold` × 255 are inverted. */
export type SolarizeConcrete = { threshold: number };
export type NoConcrete = Record<string, never>;

const noParams = z.strictObject({});

export const gamma = pixelOp({
  id: 'gamma',
  label: 'Gamma',
  category: 'colour',
  description: '255·(v/255)^γ: γ < 1 brightens the shadows, γ > 1 darkens them.',
  defaultP: 1,
  params: z.strictObject({ gamma: range(0.1, 10, [0.8, 1.25], 'Gamma') }),
  sample: (rng, p): GammaConcrete => ({ gamma: rng.uniform(p.gamma[0], p.gamma[1]) }),
  apply: (image, c: GammaConcrete) => applyLut(image, makeLut((v) => 255 * Math.pow(v / 255, c.gamma))),
});

export const grayscale = pixelOp({
  id: 'grayscale',
  label: 'Greyscale',
  category: 'colour',
  description: 'Replace colour by its luma (three equal channels).',
  defaultP: 1,
  params: noParams,
  sample: (): NoConcrete => ({}),
  apply: (image) => toGray(image),
});

/** PIL ImageOps.equalize per channel (what torchvision's equalize matches). */
function equalizeLut(hist: Uint32Array): Uint8Array {
  let last = 255;
  while (last > 0 && hist[last] === 0) last--;
  let total = 0;
  for (let i = 0; i < 256; i++) total += hist[i]!;
  const step = Math.floor((total - hist[last]!) / 255);
  const lut = new Uint8Array(256);
  if (step === 0) {
    for (let i = 0; i < 256; i++) lut[i] = i;
    return lut;
  }
  let n = Math.floor(step / 2);
  for (let i = 0; i < 256; i++) {
    lut[i] = Math.min(255, Math.floor(n / step));
    n += hist[i]!;
  }
  return lut;
}

export const equalize = pixelOp({
  id: 'equalize',
  label: 'Equalize',
  category: 'colour',
  description: 'Flatten each channel’s histogram.',
  defaultP: 1,
  params: noParams,
  sample: (): NoConcrete => ({}),
  apply: (image) => {
    const [r, g, b] = histograms(image);
    return applyLut(image, [equalizeLut(r), equalizeLut(g), equalizeLut(b)]);
  },
});

function stretchLut(hist: Uint32Array): Uint8Array {
  let lo = 0;
  while (lo < 255 && hist[lo] === 0) lo++;
  let hi = 255;
  while (hi > lo && hist[hi] === 0) hi--;
  if (hi <= lo) return makeLut((v) => v);
  const scale = 255 / (hi - lo);
  return makeLut((v) => (v - lo) * scale);
}

export function autocontrastImage(image: RawImage): RawImage {
  const [r, g, b] = histograms(image);
  return applyLut(image, [stretchLut(r), stretchLut(g), stretchLut(b)]);
}

export const autocontrast = pixelOp({
  id: 'autocontrast',
  label: 'Autocontrast',
  category: 'colour',
  description: 'Stretch each channel so its darkest value becomes 0 and its brightest 255.',
  defaultP: 1,
  params: noParams,
  sample: (): NoConcrete => ({}),
  apply: autocontrastImage,
});

export const posterize = pixelOp({
  id: 'posterize',
  label: 'Posterize',
  category: 'colour',
  description: 'Keep only the top bits of each value (fewer colour levels).',
  defaultP: 1,
  params: z.strictObject({ bits: intRange(1, 8, [4, 6], 'Bits kept per channel') }),
  sample: (rng, p): PosterizeConcrete => ({ bits: rng.int(p.bits[0], p.bits[1]) }),
  apply: (image, c: PosterizeConcrete) => {
    const mask = (0xff << (8 - c.bits)) & 0xff;
    return applyLut(image, makeLut((v) => v & mask));
  },
});

export const solarize = pixelOp({
  id: 'solarize',
  label: 'Solarize',
  category: 'colour',
  description: 'Invert every value at or above a threshold.',
  defaultP: 1,
  params: z.strictObject({ threshold: range(0, 1, [0.5, 0.5], 'Threshold (fraction of 255)') }),
  sample: (rng, p): SolarizeConcrete => ({ threshold: rng.uniform(p.threshold[0], p.threshold[1]) }),
  apply: (image, c: SolarizeConcrete) => {
    const t = c.threshold * 255;
    return applyLut(image, makeLut((v) => (v >= t ? 255 - v : v)));
  },
});
