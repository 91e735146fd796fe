import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/shared/api/errors.js';
import { canonicalPipelineJson, checkPipeline, parsePipeline, pipelineToJson } from '../../../src/core/augment/pipeline.js';
import { createRng, sampleRng, sampleSeed } from '../../../src/core/augment/rng.js';
import { sampleOps, samplePipeline } from '../../../src/core/augment/sample.js';
import { linspace } from '../../../src/core/augment/ops/policy-space.js';

const size = { width: 64, height: 48 };

function rejection(json: unknown): string {
  try {
    parsePipeline(json);
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('invalid_input');
    return (err as ApiError).message;
  }
  throw new Error('pipeline was accepted');
}

describe('pipeline validation', () => {
  it('names the op index, op id and field of an out-of-range value', () => {
    const msg = rejection({ version: 1, ops: [{ op: 'hflip' }, { op: 'rotate', degrees: [-30, 300] }] });
    expect(msg).toContain('ops[1] (rotate)');
    expect(msg).toContain('"degrees.1"');
    expect(msg).toContain('180');
  });

  it('rejects unknown ops with a suggestion, unknown fields, bad p and a reversed range', () => {
    expect(rejection({ version: 1, ops: [{ op: 'rotat' }] })).toMatch(/ops\[0\] \(rotat\), field "op": unknown op "rotat" \(did you mean "rotate"\?\)/);
    expect(rejection({ version: 1, ops: [{ op: 'hflip', angle: 3 }] })).toMatch(/ops\[0\] \(hflip\), field "angle": unknown field/);
    expect(rejection({ version: 1, ops: [{ op: 'hflip', p: 1.5 }] })).toMatch(/ops\[0\] \(hflip\), field "p": must be a probability/);
    expect(rejection({ version: 1, ops: [{ op: 'brightness', factor: [1.2, 0.8] }] })).toMatch(/field "factor": the low end must not exceed the high end/);
    expect(rejection({ version: 1, ops: [{ op: 'rotate', fill: 'wrap' }] })).toMatch(/ops\[0\] \(rotate\), field "fill"/);
    expect(rejection({ version: 1, ops: [{ op: 'gaussian_blur', kernel_size: 4 }] })).toMatch(/field "kernel_size": the kernel size must be odd/);
    expect(rejection({ version: 1, ops: [{ p: 1 }] })).toMatch(/ops\[0\], field "op": is missing/);
  });

  it('rejects a wrong or missing version and unknown top-level fields', () => {
    expect(rejection({ version: 2, ops: [] })).toMatch(/field "version": version 2 is not supported; this Smallset Studio reads version 1/);
    expect(rejection({ ops: [] })).toMatch(/field "version": is missing/);
    expect(rejection({ version: 1, ops: [], seed: 3 })).toMatch(/field "seed": unknown field/);
    expect(rejection([])).toMatch(/a pipeline is an object/);
    expect(rejection({ version: 1, ops: {} })).toMatch(/field "ops": must be a list/);
  });

  it('names nested entries by their path inside one_of / some_of', () => {
    const msg = rejection({ version: 1, ops: [{ op: 'one_of', ops: [{ op: 'hflip' }, { op: 'zoom', scale: [0.8, 99] }] }] });
    expect(msg).toContain('ops[0].ops[1] (zoom), field "scale.1"');
    expect(rejection({ version: 1, ops: [{ op: 'some_of', n: 3, ops: [{ op: 'hflip' }] }] })).toMatch(/ops\[0\] \(some_of\), field "n": n is 3 but there are only 1/);
    expect(rejection({ version: 1, ops: [{ op: 'one_of', ops: [] }] })).toMatch(/field "ops": one_of needs a non-empty list/);
    expect(rejection({ version: 1, ops: [{ op: 'rotate', ops: [] }] })).toMatch(/ops\[0\] \(rotate\), field "ops": unknown field/);
  });

  it('lists every problem at once for editors', () => {
    const r = checkPipeline({ version: 1, ops: [{ op: 'rotate', degrees: [0, 999] }, { op: 'nope' }] });
    expect(r.pipeline).toBeNull();
    expect(r.issues.map((i) => [i.at, i.op, i.field])).toEqual([
      ['ops[0]', 'rotate', 'degrees.1'],
      ['ops[1]', 'nope', 'op'],
    ]);
  });
});

describe('pipeline JSON', () => {
  const json = {
    version: 1,
    ops: [
      { op: 'hflip', p: 0.5 },
      { op: 'rotate', p: 1, degrees: [-30, 30], fill: 'reflect' },
      { op: 'one_of', ops: [{ op: 'brightness', p: 2 / 3 }, { op: 'contrast', p: 1 / 3, factor: [0.5, 1.5] }] },
    ],
  };

  it('round-trips JSON → pipeline → JSON unchanged, key order included', () => {
    const out = pipelineToJson(parsePipeline(json));
    expect(JSON.stringify(out)).toBe(JSON.stringify(json));
  });

  it('writes every default out in the canonical form, which parses to the same draws', () => {
    const canonical = canonicalPipelineJson(parsePipeline(json));
    expect(canonical.ops[1]).toEqual({ op: 'rotate', p: 1, degrees: [-30, 30], fill: 'reflect', fill_colour: '#000000' });
    expect(canonical.ops[0]).toEqual({ op: 'hflip', p: 0.5 });
    const a = sampleOps(parsePipeline(json), sampleRng(4, 10, 1), size);
    const b = sampleOps(parsePipeline(canonical), sampleRng(4, 10, 1), size);
    expect(b).toEqual(a);
  });
});

describe('sampling', () => {
  it('gives each image and copy its own stream, the same on every call', () => {
    expect(sampleSeed(1, 42, 0)).toBe(sampleSeed(1, 42, 0));
    const seeds = new Set([sampleSeed(1, 42, 0), sampleSeed(1, 42, 1), sampleSeed(1, 43, 0), sampleSeed(2, 42, 0), sampleSeed(1, '42', 0)]);
    expect(seeds.size).toBe(5);
  });

  it('draws uniformly: mean and spread of a [0,1) stream', () => {
    const rng = createRng(7);
    let s = 0;
    let s2 = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      s += u;
      s2 += u * u;
    }
    expect(s / n).toBeCloseTo(0.5, 1);
    expect(s2 / n - (s / n) ** 2).toBeCloseTo(1 / 12, 2);
  });

  it('keeps one op\'s draws independent of the other ops\' settings', () => {
    const a = parsePipeline({ version: 1, ops: [{ op: 'hflip', p: 0.5 }, { op: 'rotate', degrees: [-30, 30] }] });
    const b = parsePipeline({ version: 1, ops: [{ op: 'hflip', p: 0 }, { op: 'rotate', degrees: [-30, 30] }] });
    for (let copy = 0; copy < 10; copy++) {
      const ra = sampleOps(a, sampleRng(3, 5, copy), size).find((o) => o.op === 'rotate');
      const rb = sampleOps(b, sampleRng(3, 5, copy), size).find((o) => o.op === 'rotate');
      expect(rb).toEqual(ra);
    }
  });

  it('applies an op with probability p', () => {
    const pipeline = parsePipeline({ version: 1, ops: [{ op: 'hflip', p: 0.3 }] });
    let hits = 0;
    for (let copy = 0; copy < 4000; copy++) hits += sampleOps(pipeline, sampleRng(0, 1, copy), size).length;
    expect(hits / 4000).toBeCloseTo(0.3, 1);
  });

  it('one_of picks exactly one child, weighted by the children\'s p, and records which', () => {
    const pipeline = parsePipeline({
      version: 1,
      ops: [{ op: 'one_of', ops: [{ op: 'hflip', p: 0.75 }, { op: 'vflip', p: 0.25 }, { op: 'grayscale', p: 0 }] }],
    });
    const counts: Record<string, number> = {};
    for (let copy = 0; copy < 4000; copy++) {
      const ops = sampleOps(pipeline, sampleRng(0, 2, copy), size);
      expect(ops).toHaveLength(1);
      counts[`${ops[0]!.op}@${ops[0]!.path}`] = (counts[`${ops[0]!.op}@${ops[0]!.path}`] ?? 0) + 1;
    }
    expect(Object.keys(counts).sort()).toEqual(['hflip@0.0', 'vflip@0.1']);
    expect(counts['hflip@0.0']! / 4000).toBeCloseTo(0.75, 1);
  });

  it('some_of picks n different children and applies each with its own p, in list order', () => {
    const pipeline = parsePipeline({
      version: 1,
      ops: [{ op: 'some_of', n: 2, ops: [{ op: 'hflip', p: 1 }, { op: 'vflip', p: 1 }, { op: 'grayscale', p: 1 }, { op: 'equalize', p: 1 }] }],
    });
    const seen = new Set<string>();
    for (let copy = 0; copy < 300; copy++) {
      const ops = sampleOps(pipeline, sampleRng(0, 3, copy), size);
      expect(ops).toHaveLength(2);
      const idx = ops.map((o) => Number(o.path.split('.')[1]));
      expect(idx[0]).toBeLessThan(idx[1]!);
      seen.add(idx.join(','));
    }
    expect(seen.size).toBe(6);
  });

  it('tracks the image size through ops that change it', () => {
    const pipeline = parsePipeline({ version: 1, ops: [{ op: 'rotate90', k: [1, 1] }, { op: 'random_resized_crop', width: 32, height: 20 }, { op: 'crop', scale: [0.5, 0.5] }] });
    expect(samplePipeline(pipeline, createRng(1), size).size).toEqual({ width: 16, height: 10 });
  });
});

describe('policies', () => {
  it('randaugment applies N ops from its space at magnitude M (torchvision bins)', () => {
    const pipeline = parsePipeline({ version: 1, ops: [{ op: 'randaugment', n: 2, m: 30 }] });
    const m30 = linspace(0, 0.9, 31)[30]!;
    const seen = new Set<string>();
    for (let copy = 0; copy < 300; copy++) {
      const ops = sampleOps(pipeline, sampleRng(0, 4, copy), size);
      expect(ops.length).toBeLessThanOrEqual(2);
      for (const o of ops) {
        seen.add(o.op);
        expect(o.path).toBe('0');
        if (o.op === 'rotate') expect(Math.abs(o.params.angle as number)).toBeCloseTo(30, 9);
        if (o.op === 'brightness') expect(Math.abs((o.params.factor as number) - 1)).toBeCloseTo(m30, 9);
        if (o.op === 'posterize') expect(o.params.bits).toBe(4);
        if (o.op === 'solarize') expect(o.params.threshold).toBe(0);
        if (o.op === 'shear') expect(Math.abs(Math.tan(((o.params.x as number) + (o.params.y as number)) * Math.PI / 180))).toBeCloseTo(0.3, 9);
        if (o.op === 'translate') expect(Math.abs((o.params.tx as number) + (o.params.ty as number))).toBeCloseTo(150 / 331, 9);
      }
    }
    expect([...seen].sort()).toEqual(
      ['autocontrast', 'brightness', 'contrast', 'equalize', 'posterize', 'rotate', 'saturation', 'sharpen', 'shear', 'solarize', 'translate'],
    );
  });

  it('trivialaugment applies at most one op, at magnitudes spread over the wide ranges', () => {
    const pipeline = parsePipeline({ version: 1, ops: [{ op: 'trivialaugment' }] });
    const angles: number[] = [];
    for (let copy = 0; copy < 2000; copy++) {
      const ops = sampleOps(pipeline, sampleRng(0, 5, copy), size);
      expect(ops.length).toBeLessThanOrEqual(1);
      if (ops[0]?.op === 'rotate') angles.push(Math.abs(ops[0].params.angle as number));
    }
    expect(Math.max(...angles)).toBeGreaterThan(100);
    expect(Math.max(...angles)).toBeLessThanOrEqual(135);
    expect(new Set(angles.map((a) => Math.round(a * 1000))).size).toBeGreaterThan(10);
  });
});
