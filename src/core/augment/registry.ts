import type { AnyOp, CompositeOp, PixelOp } from './op.js';
import { hflip, vflip } from './ops/flip.js';
import { rotate, rotate90 } from './ops/rotate.js';
import { shear, translate, zoom } from './ops/affine.js';
import { crop, randomResizedCrop } from './ops/crop.js';
import { perspective } from './ops/perspective.js';
import { brightness, contrast, hue, saturation } from './ops/colour-jitter.js';
import { autocontrast, equalize, gamma, grayscale, posterize, solarize } from './ops/tone.js';
import { gaussianBlur, jpegQuality, sharpen } from './ops/detail.js';
import { gaussianNoise, saltPepper } from './ops/noise.js';
import { cutout } from './ops/cutout.js';
import { oneOf, someOf } from './ops/compose.js';
import { randaugment, trivialaugment } from './ops/policies.js';

/** Every op, in the order the UI lists them. Adding an op = one file + one line here + one test row. */
export const registry: readonly AnyOp[] = [
  hflip,
  vflip,
  rotate,
  rotate90,
  translate,
  zoom,
  shear,
  randomResizedCrop,
  crop,
  perspective,
  brightness,
  contrast,
  saturation,
  hue,
  gamma,
  grayscale,
  equalize,
  autocontrast,
  posterize,
  solarize,
  sharpen,
  gaussianBlur,
  jpegQuality,
  gaussianNoise,
  saltPepper,
  cutout,
  oneOf,
  someOf,
  randaugment,
  trivialaugment,
];

const byId = new Map(registry.map((op) => [op.id, op]));
if (byId.size !== registry.length) throw new Error('two augmentation ops share an id');

export function findOp(id: string): AnyOp | undefined {
  return byId.get(id);
}

export function findPixelOp(id: string): PixelOp | undefined {
  const op = byId.get(id);
  return op?.kind === 'pixel' ? op : undefined;
}

export function isComposite(op: AnyOp): op is CompositeOp {
  return op.kind === 'composite';
}

export const opIds: readonly string[] = registry.map((op) => op.id);
