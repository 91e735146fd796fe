import { describe, expect, it } from 'vitest';
import { applyOps } from '../../../src/core/augment/apply.js';
import { importKerasGenerator } from '../../../src/core/augment/keras-import.js';
import { parseKerasCall } from '../../../src/core/augment/keras-kwargs.js';
import { parsePipeline } from '../../../src/core/augment/pipeline.js';
import { sampleRng } from '../../../src/core/augment/rng.js';
import { sampleOps } from '../../../src/core/augment/sample.js';
import { ApiError } from '../../../src/shared/api/errors.js';
import { photoLike } from './helpers.js';

/** The classic Keras lesson ("Building powerful image classification models using very little data"). */
const classic = {
  rotation_range: 40,
  width_shift_range: 0.2,
  height_shift_range: 0.2,
  shear_range: 0.2,
  zoom_range: 0.2,
  horizontal_flip: true,
  fill_mode: 'nearest',
};

const classicPython = `
datagen = ImageDataGenerator(
    rotation_range=40,        # degrees
    width_shift_range=0.2,
    height_shift_range=0.2,
    rescale=1./255,
    shear_range=0.2,
    zoom_range=0.2,
    horizontal_flip=True,
    fill_mode='nearest')
`;

describe('importKerasGenerator', () => {
  it('imports the classic lesson config as rotate, translate, shear, zoom and hflip with edge fill', () => {
    const { pipeline, warnings } = importKerasGenerator(classic);
    expect(pipeline.ops.map((o) => o.op)).toEqual(['rotate', 'translate', 'shear', 'zoom', 'hflip']);
    expect(pipeline.ops[0]).toEqual({ op: 'rotate', p: 1, degrees: [-40, 40], fill: 'edge' });
    expect(pipeline.ops[1]).toEqual({ op: 'translate', p: 1, x: [-0.2, 0.2], y: [-0.2, 0.2], fill: 'edge' });
    expect(pipeline.ops[2]).toEqual({ op: 'shear', p: 1, x: [0, 0], y: [-0.2, 0.2], fill: 'edge' });
    // Keras zoom z shows 1/z of the image: [0.8, 1.2] becomes content scales [1/1.2, 1/0.8].
    expect(pipeline.ops[3]).toEqual({ op: 'zoom', p: 1, scale: [0.833333, 1.25], fill: 'edge' });
    expect(pipeline.ops[4]).toEqual({ op: 'hflip', p: 0.5 });
    expect(warnings.map((w) => w.key).sort()).toEqual(['shear_range', 'zoom_range']);
    expect(() => parsePipeline(pipeline)).not.toThrow();
  });

  it('reads the same config pasted as Python, and says rescale=1./255 is not needed', () => {
    const fromPython = importKerasGenerator(classicPython);
    expect(fromPython.pipeline).toEqual(importKerasGenerator(classic).pipeline);
    expect(fromPython.warnings.find((w) => w.key === 'rescale')?.message).toMatch(/already scales pixels/);
  });

  it('gives a pipeline that samples and applies', async () => {
    const { pipeline } = importKerasGenerator(classic);
    const img = photoLike(48, 40, 3);
    const ops = sampleOps(parsePipeline(pipeline), sampleRng(1, 5, 0), img);
    expect(ops.map((o) => o.op)).toEqual(expect.arrayContaining(['rotate', 'translate', 'shear', 'zoom']));
    const out = await applyOps(img, ops);
    expect([out.width, out.height]).toEqual([48, 40]);
  });

  it('rejects an unknown key by name', () => {
    expect(() => importKerasGenerator({ ...classic, rotation_rang: 10 })).toThrow(/unknown key "rotation_rang"/);
    expect(() => importKerasGenerator('ImageDataGenerator(zoom=0.2)')).toThrow(ApiError);
  });

  it('rejects a badly typed value naming the key', () => {
    expect(() => importKerasGenerator({ rotation_range: '40' })).toThrow(/"rotation_range" must be a number/);
    expect(() => importKerasGenerator({ brightness_range: [1.2, 0.8] })).toThrow(/"brightness_range"/);
    expect(() => importKerasGenerator({ fill_mode: 'mirror' })).toThrow(/"fill_mode"/);
  });

  it('lists keys with no equivalent as warnings, only when they are switched on', () => {
    const on = importKerasGenerator({ ...classic, featurewise_center: true, channel_shift_range: 20, validation_split: 0.2 });
    const keys = on.warnings.map((w) => w.key);
    expect(keys).toEqual(expect.arrayContaining(['featurewise_center', 'channel_shift_range', 'validation_split']));
    expect(on.pipeline).toEqual(importKerasGenerator(classic).pipeline);
    const off = importKerasGenerator({ ...classic, featurewise_center: false, channel_shift_range: 0 });
    expect(off.warnings.map((w) => w.key)).not.toContain('featurewise_center');
    expect(off.warnings.map((w) => w.key)).not.toContain('channel_shift_range');
  });

  it('maps fill modes: constant with cval becomes a grey fill colour, wrap falls back to reflect with a warning', () => {
    const constant = importKerasGenerator({ rotation_range: 10, fill_mode: 'constant', cval: 128 });
    expect(constant.pipeline.ops[0]).toMatchObject({ fill: 'constant', fill_colour: '#808080' });
    const wrap = importKerasGenerator({ rotation_range: 10, fill_mode: 'wrap' });
    expect(wrap.pipeline.ops[0]).toMatchObject({ fill: 'reflect' });
    expect(wrap.warnings.map((w) => w.key)).toContain('fill_mode');
  });

  it('converts pixel shifts with the image size, and asks for it when missing', () => {
    expect(() => importKerasGenerator({ width_shift_range: 8 })).toThrow(/"width_shift_range" is 8 pixels.*imageSize/);
    const { pipeline } = importKerasGenerator({ width_shift_range: 8 }, { imageSize: 64 });
    expect(pipeline.ops[0]).toMatchObject({ op: 'translate', x: [-0.125, 0.125], y: [0, 0] });
  });

  it('takes zoom and brightness ranges as pairs', () => {
    const { pipeline } = importKerasGenerator({ zoom_range: [0.5, 2], brightness_range: [0.6, 1.4], vertical_flip: true });
    expect(pipeline.ops).toEqual([
      { op: 'zoom', p: 1, scale: [0.5, 2], fill: 'edge' },
      { op: 'vflip', p: 0.5 },
      { op: 'brightness', p: 1, factor: [0.6, 1.4] },
    ]);
  });
});

describe('parseKerasCall', () => {
  it('reads Python literals: numbers, divisions, booleans, None, strings, tuples and lists', () => {
    expect(parseKerasCall("ImageDataGenerator(a=1e-3, b=1./255, c=True, d=None, e='x', f=(0.5, 1.5), g=[1, 2], h=my_fn)")).toEqual({
      a: 0.001,
      b: 1 / 255,
      c: true,
      d: null,
      e: 'x',
      f: [0.5, 1.5],
      g: [1, 2],
      h: { python: 'my_fn' },
    });
  });
});
