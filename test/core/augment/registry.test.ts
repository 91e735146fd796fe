import { describe, expect, it } from 'vitest';
import { applyOps } from '../../../src/core/augment/apply.js';
import { parsePipeline, pipelineToJson, type OpSpec } from '../../../src/core/augment/pipeline.js';
import { registry } from '../../../src/core/augment/registry.js';
import { sampleRng } from '../../../src/core/augment/rng.js';
import { sampleOps } from '../../../src/core/augment/sample.js';
import { describeRegistry } from '../../../src/core/augment/descriptors.js';
import { photoLike, sameBytes } from './helpers.js';

/** One row per op: parameters that make its effect visible. Adding an op = adding a row here. */
const rows: Record<string, Omit<OpSpec, 'op'>> = {
  hflip: {},
  vflip: {},
  rotate: { degrees: [10, 25], fill: 'reflect' },
  rotate90: { k: [1, 3] },
  translate: { x: [0.1, 0.2], y: [-0.2, -0.1] },
  zoom: { scale: [1.2, 1.5] },
  shear: { x: [10, 20], y: [5, 10], fill: 'edge' },
  random_resized_crop: { width: 40, height: 32 },
  crop: { scale: [0.5, 0.7] },
  perspective: { distortion: [0.3, 0.6], fill: 'constant', fill_colour: '#ff00ff' },
  brightness: { factor: [1.3, 1.5] },
  contrast: { factor: [0.4, 0.6] },
  saturation: { factor: [0.2, 0.4] },
  hue: { shift: [0.1, 0.2] },
  gamma: { gamma: [1.5, 2] },
  grayscale: {},
  equalize: {},
  autocontrast: {},
  posterize: { bits: [2, 3] },
  solarize: { threshold: [0.3, 0.6] },
  sharpen: { factor: [2, 3] },
  gaussian_blur: { sigma: [1, 2] },
  jpeg_quality: { quality: [10, 30] },
  gaussian_noise: { sigma: [0.05, 0.1] },
  salt_pepper: { amount: [0.05, 0.1] },
  cutout: { holes: [2, 3], scale: [0.05, 0.1] },
  one_of: { ops: [{ op: 'rotate', p: 1, degrees: [20, 30] }, { op: 'hflip', p: 1 }] },
  some_of: { n: 2, ops: [{ op: 'rotate', p: 1 }, { op: 'brightness', p: 1, factor: [1.3, 1.4] }, { op: 'vflip', p: 1 }] },
  randaugment: { n: 3, m: 20 },
  trivialaugment: {},
};

const image = photoLike(48, 36, 7);

function pipelineFor(id: string, p?: number) {
  const extra = rows[id]!;
  return parsePipeline({ version: 1, ops: [{ op: id, ...(p === undefined ? {} : { p }), ...extra }] });
}

async function run(id: string, seed: number, p?: number) {
  const pipeline = pipelineFor(id, p);
  const ops = sampleOps(pipeline, sampleRng(seed, 11, 0), image);
  return { ops, out: await applyOps(image, ops) };
}

describe('every registered op', () => {
  it('has a test row, and every row names a registered op', () => {
    expect(Object.keys(rows).sort()).toEqual(registry.map((op) => op.id).sort());
  });

  it('describes itself for the UI with labels, kinds and defaults from its schema', () => {
    const described = describeRegistry();
    const rotate = described.find((d) => d.id === 'rotate')!;
    expect(rotate.params.find((p) => p.name === 'degrees')).toMatchObject({ kind: 'range', min: -180, max: 180, default: [-30, 30] });
    expect(rotate.params.find((p) => p.name === 'fill')).toMatchObject({ kind: 'enum', options: ['reflect', 'edge', 'constant'] });
    for (const d of described) for (const p of d.params) expect(p.label.length).toBeGreaterThan(1);
  });

  for (const op of registry) {
    describe(op.id, () => {
      it('accepts its defaults (an entry with only "op")', () => {
        const extra = op.kind === 'composite' && op.hasChildren ? { ops: [{ op: 'hflip' }, { op: 'vflip' }], ...(op.id === 'some_of' ? { n: 1 } : {}) } : {};
        const pipeline = parsePipeline({ version: 1, ops: [{ op: op.id, ...extra }] });
        expect(pipeline.nodes[0]!.p).toBe(op.defaultP);
        const parsed = op.params.safeParse({});
        expect(parsed.success).toBe(true);
      });

      it('changes nothing with p = 0', async () => {
        const { ops, out } = await run(op.id, 3, 0);
        expect(ops).toEqual([]);
        expect(sameBytes(out, image)).toBe(true);
      });

      it('changes the image with p = 1 for at least one of a few seeds', async () => {
        let changed = false;
        for (let seed = 0; seed < 6 && !changed; seed++) changed = !sameBytes((await run(op.id, seed, 1)).out, image);
        expect(changed).toBe(true);
      });

      it('gives byte-identical output for the same seed, and replays its concrete params', async () => {
        const a = await run(op.id, 5, 1);
        const b = await run(op.id, 5, 1);
        expect(b.ops).toEqual(a.ops);
        expect(sameBytes(a.out, b.out)).toBe(true);
        const replayed = await applyOps(image, JSON.parse(JSON.stringify(a.ops)));
        expect(sameBytes(replayed, a.out)).toBe(true);
      });

      it('round-trips through JSON to the same pipeline and the same pixels', async () => {
        const pipeline = pipelineFor(op.id, 1);
        const json = JSON.parse(JSON.stringify(pipelineToJson(pipeline)));
        expect(json).toEqual({ version: 1, ops: [{ op: op.id, p: 1, ...rows[op.id] }] });
        const again = parsePipeline(json);
        expect(pipelineToJson(again)).toEqual(json);
        const a = await applyOps(image, sampleOps(pipeline, sampleRng(9, 'img', 2), image));
        const b = await applyOps(image, sampleOps(again, sampleRng(9, 'img', 2), image));
        expect(sameBytes(a, b)).toBe(true);
      });
    });
  }
});
