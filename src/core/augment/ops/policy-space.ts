import type { Rng } from '../rng.js';
import type { Expansion, ExpandEnv, Size } from '../op.js';
import type { FillConcrete } from './geometric.js';
import type { ShearConcrete, TranslateConcrete } from './affine.js';
import type { RotateConcrete } from './rotate.js';
import type { FactorConcrete } from './colour-jitter.js';
import type { PosterizeConcrete, SolarizeConcrete } from './tone.js';
import type { SharpenConcrete } from './detail.js';

/** One entry of torchvision's augmentation space: magnitudes by bin (null = no magnitude) and whether a sign is drawn. */
interface SpaceEntry {
  readonly name: string;
  magnitudes(bins: number, size: Size): number[] | null;
  readonly signed: boolean;
  build(magnitude: number, size: Size, fill: FillConcrete, env: ExpandEnv): Expansion;
}

export function linspace(a: number, b: number, n: number): number[] {
  if (n === 1) return [a];
  return Array.from({ length: n }, (_v, i) => a + ((b - a) * i) / (n - 1));
}

/** 8 − round(i / ((bins − 1) / drop)): from 8 bits down to 8 − drop. */
function posterizeBits(bins: number, drop: number): number[] {
  return Array.from({ length: bins }, (_v, i) => 8 - Math.round(i / ((bins - 1) / drop)));
}

const degrees = (tangent: number) => (Math.atan(tangent) * 180) / Math.PI;

function space(wide: boolean): SpaceEntry[] {
  const shearMax = wide ? 0.99 : 0.3;
  const enhanceMax = wide ? 0.99 : 0.9;
  const rotateMax = wide ? 135 : 30;
  const translateX = (bins: number, size: Size) => linspace(0, wide ? 32 : (150 / 331) * size.width, bins);
  const translateY = (bins: number, size: Size) => linspace(0, wide ? 32 : (150 / 331) * size.height, bins);
  const enhance = (name: string, op: string): SpaceEntry => ({
    name,
    signed: true,
    magnitudes: (bins) => linspace(0, enhanceMax, bins),
    build: (m, size, _f, env) => env.leaf(op, { factor: 1 + m } satisfies FactorConcrete | SharpenConcrete, size),
  });
  return [
    { name: 'Identity', signed: false, magnitudes: () => null, build: (_m, size) => ({ ops: [], size }) },
    {
      name: 'ShearX',
      signed: true,
      magnitudes: (bins) => linspace(0, shearMax, bins),
      build: (m, size, f, env) => env.leaf('shear', { x: degrees(m), y: 0, ...f } satisfies ShearConcrete, size),
    },
    {
      name: 'ShearY',
      signed: true,
      magnitudes: (bins) => linspace(0, shearMax, bins),
      build: (m, size, f, env) => env.leaf('shear', { x: 0, y: degrees(m), ...f } satisfies ShearConcrete, size),
    },
    {
      name: 'TranslateX',
      signed: true,
      magnitudes: translateX,
      build: (m, size, f, env) => env.leaf('translate', { tx: m / size.width, ty: 0, ...f } satisfies TranslateConcrete, size),
    },
    {
      name: 'TranslateY',
      signed: true,
      magnitudes: translateY,
      build: (m, size, f, env) => env.leaf('translate', { tx: 0, ty: m / size.height, ...f } satisfies TranslateConcrete, size),
    },
    {
      name: 'Rotate',
      signed: true,
      magnitudes: (bins) => linspace(0, rotateMax, bins),
      build: (m, size, f, env) => env.leaf('rotate', { angle: m, ...f } satisfies RotateConcrete, size),
    },
    enhance('Brightness', 'brightness'),
    enhance('Color', 'saturation'),
    enhance('Contrast', 'contrast'),
    enhance('Sharpness', 'sharpen'),
    {
      name: 'Posterize',
      signed: false,
      magnitudes: (bins) => posterizeBits(bins, wide ? 6 : 4),
      build: (m, size, _f, env) => env.leaf('posterize', { bits: m } satisfies PosterizeConcrete, size),
    },
    {
      name: 'Solarize',
      signed: false,
      magnitudes: (bins) => linspace(255, 0, bins),
      build: (m, size, _f, env) => env.leaf('solarize', { threshold: m / 255 } satisfies SolarizeConcrete, size),
    },
    { name: 'AutoContrast', signed: false, magnitudes: () => null, build: (_m, size, _f, env) => env.leaf('autocontrast', {}, size) },
    { name: 'Equalize', signed: false, magnitudes: () => null, build: (_m, size, _f, env) => env.leaf('equalize', {}, size) },
  ];
}

/** torchvision RandAugment's 14 ops (magnitude bins over its ranges). */
export const RANDAUGMENT_SPACE = space(false);
/** torchvision TrivialAugmentWide's 14 ops (wider ranges). */
export const TRIVIALAUGMENT_SPACE = space(true);
export const MAGNITUDE_BINS = 31;

/** Applies one entry at magnitude bin `bin` (or a random bin when null), with torchvision's random sign. */
export function applyEntry(entry: SpaceEntry, bin: number | null, rng: Rng, size: Size, fill: FillConcrete, env: ExpandEnv): Expansion {
  const mags = entry.magnitudes(MAGNITUDE_BINS, size);
  let m = 0;
  if (mags) m = mags[bin ?? Math.floor(rng.next() * mags.length)]!;
  if (entry.signed && rng.next() < 0.5) m = -m;
  return entry.build(m, size, fill, env);
}
