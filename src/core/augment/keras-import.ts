import { ApiError } from '../../shared/api/errors.js';
import { parseKerasCall, type KwargValue } from './keras-kwargs.js';
import { parsePipeline, type OpSpec, type PipelineJson } from './pipeline.js';

/** Something of the Keras config that the pipeline does differently or leaves out, and why. */
export interface KerasImportWarning {
  readonly key: string;
  readonly message: string;
}

export interface KerasImport {
  readonly pipeline: PipelineJson;
  readonly warnings: KerasImportWarning[];
}

export interface KerasImportOptions {
  /** Side of the training images in pixels; needed only when a shift range is given in pixels (≥ 1). */
  readonly imageSize?: number;
}

/** Every ImageDataGenerator keyword (Keras 2.x / tf.keras) with its default. */
const KERAS_DEFAULTS: Readonly<Record<string, KwargValue>> = {
  featurewise_center: false,
  samplewise_center: false,
  featurewise_std_normalization: false,
  samplewise_std_normalization: false,
  zca_whitening: false,
  zca_epsilon: 1e-6,
  rotation_range: 0,
  width_shift_range: 0,
  height_shift_range: 0,
  brightness_range: null,
  shear_range: 0,
  zoom_range: 0,
  channel_shift_range: 0,
  fill_mode: 'nearest',
  cval: 0,
  horizontal_flip: false,
  vertical_flip: false,
  rescale: null,
  preprocessing_function: null,
  data_format: null,
  validation_split: 0,
  interpolation_order: 1,
  dtype: null,
};

/** Normalisation and bookkeeping keys: not augmentation, so they have no pipeline equivalent. */
const NO_EQUIVALENT: Readonly<Record<string, string>> = {
  featurewise_center: 'dataset-wide mean subtraction is normalisation, not augmentation; Smallset feeds the model pixels scaled to 0–1',
  samplewise_center: 'per-image mean subtraction is normalisation, not augmentation; add it to your model if you need it',
  featurewise_std_normalization: 'dataset-wide standardisation is normalisation, not augmentation; Smallset feeds the model pixels scaled to 0–1',
  samplewise_std_normalization: 'per-image standardisation is normalisation, not augmentation; add it to your model if you need it',
  zca_whitening: 'ZCA whitening has no equivalent',
  channel_shift_range: 'adds one random constant to every channel (clipped to the image’s own range); no op does that — brightness multiplies instead',
  preprocessing_function: 'a Python function cannot be imported; add the ops it performs by hand',
  validation_split: 'splitting is not augmentation: use `smallset split` (stratified and seeded) instead',
};

class Reader {
  readonly warnings: KerasImportWarning[] = [];
  constructor(private readonly config: Record<string, KwargValue>) {}

  has(key: string): boolean {
    return key in this.config && !sameValue(this.config[key]!, KERAS_DEFAULTS[key]!);
  }
  raw(key: string): KwargValue {
    return key in this.config ? this.config[key]! : KERAS_DEFAULTS[key]!;
  }
  number(key: string, min = -Infinity): number {
    const v = this.raw(key);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min) throw bad(key, v, min === 0 ? 'a number ≥ 0' : 'a number');
    return v;
  }
  pair(key: string): [number, number] {
    const v = this.raw(key);
    if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => typeof x === 'number' && Number.isFinite(x)) || (v[0] as number) > (v[1] as number)) {
      throw bad(key, v, 'a [low, high] pair of numbers');
    }
    return [v[0] as number, v[1] as number];
  }
  warn(key: string, message: string): void {
    this.warnings.push({ key, message });
  }
}

function sameValue(a: KwargValue, b: KwargValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function bad(key: string, value: KwargValue, expected: string): ApiError {
  return new ApiError('invalid_input', `Keras config: "${key}" must be ${expected}, got ${JSON.stringify(value)}.`);
}

const round = (v: number) => Math.round(v * 1e6) / 1e6;
/** [−v, v] without a negative zero in the written JSON. */
const symmetric = (v: number): [number, number] => [v === 0 ? 0 : -round(v), round(v)];

/** A shift range as a fraction of the side, following Keras: < 1 is a fraction, ≥ 1 pixels, a list is a set of choices. */
function shiftFraction(r: Reader, key: string, options: KerasImportOptions): number {
  const v = r.raw(key);
  let span: number;
  if (Array.isArray(v)) {
    if (!v.length || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) throw bad(key, v, 'a number or a list of numbers');
    span = Math.max(...(v as number[]).map(Math.abs));
    r.warn(key, `Keras picks one of ${JSON.stringify(v)}; Smallset draws uniformly between −${span} and ${span}`);
  } else span = Math.abs(r.number(key));
  if (span < 1) return span;
  if (!options.imageSize) {
    throw new ApiError('invalid_input', `Keras config: "${key}" is ${span} pixels; Smallset shifts by a fraction of the image, so give imageSize (the training size) or use a fraction below 1.`);
  }
  return Math.min(1, span / options.imageSize);
}

function fillOf(r: Reader): { fill: string; fill_colour?: string } {
  const mode = r.raw('fill_mode');
  switch (mode) {
    case 'nearest':
      return { fill: 'edge' };
    case 'constant': {
      const v = Math.max(0, Math.min(255, Math.round(r.number('cval'))));
      const hex = v.toString(16).padStart(2, '0');
      if (v !== r.number('cval')) r.warn('cval', `fill colours are 8-bit: ${r.number('cval')} becomes ${v}`);
      return { fill: 'constant', fill_colour: `#${hex}${hex}${hex}` };
    }
    case 'reflect':
      r.warn('fill_mode', 'Keras "reflect" repeats the edge pixel (d c b a | a b c d); Smallset mirrors about it (c b | a b c d), a one-pixel shift in the mirrored border');
      return { fill: 'reflect' };
    case 'wrap':
      r.warn('fill_mode', 'Smallset has no "wrap" fill (tiling); "reflect" is used instead, which also continues the image without a seam');
      return { fill: 'reflect' };
    default:
      throw bad('fill_mode', mode, 'one of "constant", "nearest", "reflect", "wrap"');
  }
}

/**
 * Imports a Keras `ImageDataGenerator(...)` keyword set — as a JSON object or pasted Python — as the
 * equivalent pipeline. Keras applies its transforms in the order rotation, shift, shear, zoom
 * (one affine map), channel shift, flips, brightness; the pipeline keeps that order and the engine
 * fuses the geometric ops into one resample. Unknown keys are errors naming the key; keys without
 * an equivalent, and every place the result differs from Keras, are listed in `warnings`.
 */
export function importKerasGenerator(config: unknown, options: KerasImportOptions = {}): KerasImport {
  const kwargs = typeof config === 'string' ? parseKerasCall(config) : config;
  if (typeof kwargs !== 'object' || kwargs === null || Array.isArray(kwargs)) {
    throw new ApiError('invalid_input', 'Keras config: give the ImageDataGenerator keywords as an object like {"rotation_range": 40}, or paste the Python call.');
  }
  const entries = kwargs as Record<string, KwargValue>;
  for (const key of Object.keys(entries)) {
    if (!(key in KERAS_DEFAULTS)) {
      throw new ApiError('invalid_input', `Keras config: unknown key "${key}" (ImageDataGenerator has ${Object.keys(KERAS_DEFAULTS).join(', ')}).`);
    }
  }
  const r = new Reader(entries);
  const fill = fillOf(r);
  const ops: OpSpec[] = [];

  const rotation = r.number('rotation_range', 0);
  if (rotation > 0) {
    if (rotation > 180) r.warn('rotation_range', `${rotation}° is more than a half turn; the range is capped at ±180°`);
    const d = Math.min(rotation, 180);
    ops.push({ op: 'rotate', p: 1, degrees: symmetric(d), ...fill });
  }

  const tx = shiftFraction(r, 'width_shift_range', options);
  const ty = shiftFraction(r, 'height_shift_range', options);
  if (tx > 0 || ty > 0) ops.push({ op: 'translate', p: 1, x: symmetric(tx), y: symmetric(ty), ...fill });

  const shear = r.number('shear_range', 0);
  if (shear > 0) {
    const s = Math.min(shear, 80);
    if (shear > 80) r.warn('shear_range', `${shear}° is capped at 80°`);
    // Keras's matrix [[1, −sin s], [0, cos s]] on (row, column) slants rows by the column: a vertical shear.
    ops.push({ op: 'shear', p: 1, x: [0, 0], y: symmetric(s), ...fill });
    const stretch = (1 / Math.cos((s * Math.PI) / 180) - 1) * 100;
    r.warn('shear_range', `Keras's shear also stretches the width by 1/cos(angle) (up to ${stretch.toFixed(stretch < 1 ? 2 : 1)}% here); Smallset shears without stretching. Keras 2+ reads shear_range in degrees (old tutorials meant radians)`);
  }

  const zoomRaw = r.raw('zoom_range');
  let zoom: [number, number];
  if (typeof zoomRaw === 'number') {
    if (zoomRaw < 0) throw bad('zoom_range', zoomRaw, 'a number ≥ 0 or a [low, high] pair');
    zoom = [1 - zoomRaw, 1 + zoomRaw];
  } else zoom = r.pair('zoom_range');
  if (zoom[0] !== 1 || zoom[1] !== 1) {
    if (zoom[0] < 0.1 || zoom[1] > 10) throw bad('zoom_range', zoomRaw, 'within [0.1, 10] (a Keras zoom of z shows 1/z of the image)');
    // Keras samples the output → input scale (z > 1 zooms out); Smallset's zoom scales the content.
    ops.push({ op: 'zoom', p: 1, scale: [round(1 / zoom[1]), round(1 / zoom[0])], ...fill });
    r.warn('zoom_range', 'Keras zooms width and height by two independent factors; Smallset zooms both by one factor (keeping the aspect ratio), drawn from the same range');
  }

  for (const key of ['horizontal_flip', 'vertical_flip'] as const) {
    const v = r.raw(key);
    if (typeof v !== 'boolean') throw bad(key, v, 'true or false');
    if (v) ops.push({ op: key === 'horizontal_flip' ? 'hflip' : 'vflip', p: 0.5 });
  }

  if (r.raw('brightness_range') !== null) {
    const [lo, hi] = r.pair('brightness_range');
    if (lo < 0 || hi > 10) throw bad('brightness_range', [lo, hi], 'a [low, high] pair within [0, 10]');
    ops.push({ op: 'brightness', p: 1, factor: [lo, hi] });
  }

  for (const [key, why] of Object.entries(NO_EQUIVALENT)) {
    const v = r.raw(key);
    if (key === 'zca_whitening' || key.endsWith('_center') || key.endsWith('_normalization')) {
      if (typeof v !== 'boolean') throw bad(key, v, 'true or false');
    } else if (key === 'channel_shift_range') r.number(key, 0);
    else if (key === 'validation_split' && (typeof v !== 'number' || v < 0 || v >= 1)) throw bad(key, v, 'a fraction in [0, 1)');
    if (r.has(key)) r.warn(key, `left out: ${why}`);
  }
  const rescale = r.raw('rescale');
  if (rescale !== null && rescale !== 1) {
    if (typeof rescale !== 'number') throw bad('rescale', rescale, 'a number or None');
    r.warn('rescale', Math.abs(rescale - 1 / 255) < 1e-9 ? 'not needed: Smallset already scales pixels to 0–1 for training' : `left out: training scales pixels to 0–1, not by ${rescale}`);
  }
  if (r.has('interpolation_order')) r.warn('interpolation_order', 'Smallset resamples bilinearly (order 1)');
  const format = r.raw('data_format');
  if (format !== null && format !== 'channels_last' && format !== 'channels_first') throw bad('data_format', format, '"channels_last", "channels_first" or None');

  const pipeline: PipelineJson = { version: 1, ops };
  // The result must be a pipeline the engine accepts; a range this importer let through would fail here, loudly.
  parsePipeline(pipeline, 'Imported Keras pipeline');
  return { pipeline, warnings: r.warnings };
}
