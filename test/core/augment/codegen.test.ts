import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CODE_TARGETS, exportPipelineCode, type CodeTarget } from '../../../src/core/augment/codegen/export-code.js';
import type { OpSpec } from '../../../src/core/augment/pipeline.js';
import { registry } from '../../../src/core/augment/registry.js';
import { ApiError } from '../../../src/shared/api/errors.js';

/**
 * What each target writes for each registered op: the call it must contain, or null where the
 * op has no equivalent (then a `# smallset: <op> has no <target> equivalent` comment must stand in).
 * Adding an op to the registry fails the loop below until it gets a row here.
 */
const EXPECTED: Record<string, Record<CodeTarget, string | null>> = {
  hflip: { keras: 'keras.ops.flip(x, axis=-2)', albumentations: 'A.HorizontalFlip(', torchvision: 'v2.RandomHorizontalFlip(' },
  vflip: { keras: 'keras.ops.flip(x, axis=-3)', albumentations: 'A.VerticalFlip(', torchvision: 'v2.RandomVerticalFlip(' },
  rotate: { keras: 'layers.RandomRotation(', albumentations: 'A.Rotate(', torchvision: 'v2.RandomRotation(' },
  rotate90: { keras: null, albumentations: 'A.RandomRotate90(', torchvision: 'expand=True' },
  translate: { keras: 'layers.RandomTranslation(', albumentations: 'translate_percent=', torchvision: 'translate=' },
  zoom: { keras: 'layers.RandomZoom(', albumentations: 'keep_ratio=True', torchvision: 'scale=' },
  shear: { keras: 'layers.RandomShear(', albumentations: 'shear={', torchvision: 'shear=' },
  random_resized_crop: { keras: null, albumentations: 'A.RandomResizedCrop(', torchvision: 'v2.RandomResizedCrop(' },
  crop: { keras: 'layers.RandomCrop(', albumentations: 'A.RandomCrop(', torchvision: 'v2.RandomCrop(' },
  perspective: { keras: 'layers.RandomPerspective(', albumentations: 'A.Perspective(', torchvision: 'v2.RandomPerspective(' },
  brightness: { keras: 'layers.RandomBrightness(', albumentations: 'brightness=(0.8, 1.2)', torchvision: 'v2.ColorJitter(brightness=' },
  contrast: { keras: 'layers.RandomContrast(', albumentations: 'contrast=(0.8, 1.2)', torchvision: 'v2.ColorJitter(contrast=' },
  saturation: { keras: 'layers.RandomSaturation(', albumentations: 'saturation=(0.8, 1.2)', torchvision: 'v2.ColorJitter(saturation=' },
  hue: { keras: 'layers.RandomHue(', albumentations: 'hue=(-0.05, 0.05)', torchvision: 'v2.ColorJitter(hue=' },
  gamma: { keras: null, albumentations: 'A.RandomGamma(', torchvision: 'adjust_gamma(' },
  grayscale: { keras: 'layers.RandomGrayscale(', albumentations: 'A.ToGray(', torchvision: 'v2.RandomGrayscale(' },
  equalize: { keras: 'layers.Equalization(', albumentations: 'A.Equalize(', torchvision: 'v2.RandomEqualize(' },
  autocontrast: { keras: 'layers.AutoContrast(', albumentations: 'A.AutoContrast(', torchvision: 'v2.RandomAutocontrast(' },
  posterize: { keras: 'layers.RandomPosterization(', albumentations: 'A.Posterize(', torchvision: 'v2.RandomPosterize(' },
  solarize: { keras: 'layers.Solarization(', albumentations: 'A.Solarize(', torchvision: 'v2.RandomSolarize(' },
  sharpen: { keras: 'layers.RandomSharpness(', albumentations: null, torchvision: 'adjust_sharpness(' },
  gaussian_blur: { keras: 'layers.RandomGaussianBlur(', albumentations: 'A.GaussianBlur(', torchvision: 'v2.GaussianBlur(' },
  jpeg_quality: { keras: null, albumentations: 'A.ImageCompression(', torchvision: 'v2.JPEG(' },
  gaussian_noise: { keras: 'layers.GaussianNoise(', albumentations: 'A.GaussNoise(', torchvision: 'gaussian_noise(img' },
  salt_pepper: { keras: null, albumentations: 'A.SaltAndPepper(', torchvision: 'salt_and_pepper(img' },
  cutout: { keras: 'layers.RandomErasing(', albumentations: 'A.Erasing(', torchvision: 'v2.RandomErasing(' },
  one_of: { keras: 'SmallsetOneOf([', albumentations: 'A.OneOf([', torchvision: 'v2.RandomChoice([' },
  some_of: { keras: 'SmallsetSomeOf([', albumentations: 'A.SomeOf([', torchvision: 'SomeOf([' },
  randaugment: { keras: 'layers.RandAugment(', albumentations: null, torchvision: 'v2.RandAugment(' },
  trivialaugment: { keras: null, albumentations: null, torchvision: 'v2.TrivialAugmentWide(' },
};

const TARGET_NAME: Record<CodeTarget, string> = { keras: 'Keras', albumentations: 'Albumentations', torchvision: 'torchvision' };

function specFor(id: string): OpSpec {
  if (id === 'one_of') return { op: 'one_of', ops: [{ op: 'hflip', p: 1 }, { op: 'brightness', p: 0.5 }] };
  if (id === 'some_of') return { op: 'some_of', n: 1, ops: [{ op: 'vflip', p: 1 }, { op: 'contrast', p: 1 }] };
  return { op: id, p: 0.6 };
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'smallset-codegen-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const written: string[] = [];
const python = spawnSync('python3', ['--version']).status === 0 ? 'python3' : null;

describe('exportPipelineCode', () => {
  it('has an expectation row for every registered op', () => {
    expect(registry.map((op) => op.id).filter((id) => !(id in EXPECTED))).toEqual([]);
  });

  for (const op of registry) {
    for (const target of CODE_TARGETS) {
      it(`${op.id} → ${target}: the call it maps to, or a no-equivalent comment`, () => {
        const { code, notes } = exportPipelineCode({ version: 1, ops: [specFor(op.id)] }, target);
        const expected = EXPECTED[op.id]![target];
        if (expected) expect(code).toContain(expected);
        else {
          const comment = `# smallset: ${op.id} has no ${TARGET_NAME[target]} equivalent;`;
          expect(code).toContain(comment);
          expect(notes.some((n) => n.startsWith(`${op.id} has no ${TARGET_NAME[target]} equivalent`))).toBe(true);
        }
        const file = path.join(dir, `${target}_${op.id}.py`);
        writeFileSync(file, code);
        written.push(file);
      });
    }
  }

  it.skipIf(!python)('every generated file is valid Python (py_compile)', () => {
    expect(written.length).toBe(registry.length * CODE_TARGETS.length);
    const r = spawnSync(python!, ['-m', 'py_compile', ...written], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
  if (!python) console.warn('codegen: python3 not found, so the generated code is not compiled (py_compile check skipped)');

  it('writes p as each target expresses it', () => {
    const spec = { version: 1, ops: [{ op: 'hflip', p: 0.3 }, { op: 'rotate', p: 0.4, degrees: [-30, 30] }, { op: 'hflip', p: 0.5 }] };
    const tv = exportPipelineCode(spec, 'torchvision').code;
    expect(tv).toContain('v2.RandomHorizontalFlip(p=0.3)');
    expect(tv).toMatch(/v2\.RandomApply\(\[v2\.RandomRotation\(degrees=\(-30\.0, 30\.0\).*\], p=0\.4\)/);
    const keras = exportPipelineCode(spec, 'keras').code;
    expect(keras).toContain('SmallsetApply(layers.Lambda(lambda x: keras.ops.flip(x, axis=-2)), p=0.3)');
    expect(keras).toContain('layers.RandomFlip("horizontal")');
    expect(keras).toContain('class SmallsetApply(layers.Layer)');
    const alb = exportPipelineCode(spec, 'albumentations').code;
    expect(alb).toContain('A.HorizontalFlip(p=0.3)');
    expect(alb).toContain('A.Rotate(limit=(-30.0, 30.0), interpolation=cv2.INTER_LINEAR, border_mode=cv2.BORDER_CONSTANT, fill=(0, 0, 0), p=0.4)');
  });

  it('converts units: turns, zoom as 1/scale, shear sign, gamma percent, erasing ratio', () => {
    const spec = {
      version: 1,
      ops: [
        { op: 'rotate', degrees: [-45, 90], fill: 'reflect' },
        { op: 'zoom', scale: [0.8, 1.25], fill: 'edge' },
        { op: 'shear', x: [-10, 20], y: [0, 5] },
        { op: 'gamma', gamma: [0.8, 1.25] },
        { op: 'cutout', ratio: [0.25, 2], fill_colour: '#ff8000' },
      ],
    };
    const keras = exportPipelineCode(spec, 'keras').code;
    expect(keras).toContain('factor=(-0.125, 0.25)');
    expect(keras).toContain('fill_mode="reflect"');
    expect(keras).toContain('height_factor=(-0.2, 0.25)');
    expect(keras).toContain('fill_mode="nearest"');
    const { code: tv, notes } = exportPipelineCode(spec, 'torchvision');
    expect(tv).toContain('shear=(-20.0, 10.0, -5.0, 0.0)');
    expect(notes.some((n) => n.includes('the "reflect" fill becomes black'))).toBe(true);
    expect(tv).toContain('value=(255, 128, 0)');
    const alb = exportPipelineCode(spec, 'albumentations').code;
    expect(alb).toContain('border_mode=cv2.BORDER_REFLECT_101');
    expect(alb).toContain('border_mode=cv2.BORDER_REPLICATE');
    expect(alb).toContain('gamma_limit=(80.0, 125.0)');
    expect(alb).toContain('ratio=(0.5, 4.0)');
  });

  it('nests one_of inside some_of with weights from the children’s p, and keeps unknown children as comments', () => {
    const spec = {
      version: 1,
      ops: [
        {
          op: 'some_of',
          n: 2,
          p: 0.9,
          ops: [
            { op: 'one_of', ops: [{ op: 'hflip', p: 3 / 4 }, { op: 'gamma', p: 1 / 4 }] },
            { op: 'jpeg_quality', p: 0.5 },
            { op: 'salt_pepper', p: 0.5 },
          ],
        },
      ],
    };
    const tv = exportPipelineCode(spec, 'torchvision').code;
    expect(tv).toContain('], p=[0.75, 0.25]),');
    expect(tv).toContain('], n=2)], p=0.9)');
    const keras = exportPipelineCode(spec, 'keras');
    // Keras has neither gamma, JPEG nor salt-and-pepper: the comments stay, the counts shrink with a note.
    expect(keras.code).toContain('# smallset: gamma has no Keras equivalent');
    expect(keras.code).toContain('# smallset: jpeg_quality has no Keras equivalent');
    expect(keras.code).toContain('weights=[0.75]');
    expect(keras.notes.some((n) => n.includes('picks 1 instead of 2'))).toBe(true);
    const alb = exportPipelineCode(spec, 'albumentations').code;
    expect(alb).toMatch(/A\.SomeOf\(\[\n {8}A\.OneOf\(\[\n {12}A\.HorizontalFlip\(p=0\.75\),/);
  });

  it('rejects an unknown target and an invalid pipeline with clear errors', () => {
    expect(() => exportPipelineCode({ version: 1, ops: [] }, 'fastai' as CodeTarget)).toThrow(/target "fastai"/);
    expect(() => exportPipelineCode({ version: 1, ops: [{ op: 'rotate', degrees: [0, 900] }] }, 'keras')).toThrow(ApiError);
  });
});
