import { describe, expect, it } from 'vitest';
import { applyOps } from '../../../src/core/augment/apply.js';
import type { ConcreteOp, PixelOp, RawImage } from '../../../src/core/augment/op.js';
import { parsePipeline } from '../../../src/core/augment/pipeline.js';
import { registry } from '../../../src/core/augment/registry.js';
import { createRng, sampleRng } from '../../../src/core/augment/rng.js';
import { sampleOps } from '../../../src/core/augment/sample.js';
import { applyOpsTfBatch, applyOpsTfRaw } from '../../../src/core/augment/tf/apply-tf.js';
import { findTfOp } from '../../../src/core/augment/tf/tf-ops.js';
import { initBackend, type BackendName } from '../../../src/core/train/backend/init-backend.js';
import { meanAbsDiff, photoLike } from './helpers.js';

/**
 * Two implementations, one op: for every registered pixel op the sharp side (applyOps) and the
 * TensorFlow.js side (applyOpsTf) apply the SAME sampled parameters and must agree.
 *
 * Tolerances (0..255 units):
 * - exact (max 0): flips, quarter turns and crops are pixel permutations; brightness, saturation,
 *   greyscale, equalize, posterize, solarize, sharpen, blur, noise, salt-and-pepper and cutout
 *   reproduce the sharp side's integer / fixed-point arithmetic and RNG streams; jpeg_quality runs
 *   the sharp side's own code.
 * - near exact (max 1, mean ≤ 0.05): contrast, hue, gamma and autocontrast compute in float32
 *   where the sharp side uses float64, so a value sitting on .5 may round the other way.
 * - interpolating (max 2, mean ≤ 0.25): every geometric op with a non-integer map; the sharp side
 *   uses 8-bit fixed-point bilinear weights, tf.image.transform float weights.
 */
type Tolerance = { max: number; mean: number };
const EXACT: Tolerance = { max: 0, mean: 0 };
const NEAR: Tolerance = { max: 1, mean: 0.05 };
const INTERPOLATING: Tolerance = { max: 2, mean: 0.25 };

const exactOps = new Set([
  'hflip', 'vflip', 'rotate90', 'crop', 'brightness', 'saturation', 'grayscale', 'equalize', 'posterize', 'solarize',
  'sharpen', 'gaussian_blur', 'jpeg_quality', 'gaussian_noise', 'salt_pepper', 'cutout',
]);
const nearOps = new Set(['contrast', 'hue', 'gamma', 'autocontrast']);

function tolerance(op: PixelOp): Tolerance {
  if (exactOps.has(op.id)) return EXACT;
  if (nearOps.has(op.id)) return NEAR;
  if (op.geometry) return INTERPOLATING;
  throw new Error(`no parity tolerance for "${op.id}": add it to one of the sets above`);
}

function maxAbsDiff(a: RawImage, b: RawImage): number {
  let m = 0;
  for (let i = 0; i < a.data.length; i++) m = Math.max(m, Math.abs(a.data[i]! - b.data[i]!));
  return m;
}

const pixelOps = registry.filter((op): op is PixelOp => op.kind === 'pixel');
const images = [photoLike(40, 32, 7), photoLike(40, 32, 8, 30), photoLike(36, 36, 9)];

/** The parameter sets each op is checked with: defaults, and every fill mode where it has one. */
function variants(op: PixelOp): Record<string, unknown>[] {
  const shape = (op.params as unknown as { shape?: Record<string, unknown> }).shape ?? {};
  if (!('fill' in shape)) return [{}];
  return [{ fill: 'constant', fill_colour: '#20a0f0' }, { fill: 'edge' }, { fill: 'reflect' }];
}

async function backendsToTest(): Promise<BackendName[]> {
  const names: BackendName[] = ['cpu'];
  // wasm starts in well under a second here; where it cannot start, cpu alone still runs.
  try {
    await initBackend({ prefer: 'wasm' });
    names.push('wasm');
  } catch {
    /* wasm unavailable */
  }
  return names;
}

const backends = await backendsToTest();

describe.each(backends)('tf parity on the %s backend', (backend) => {
  it('has a TensorFlow.js implementation (or geometry) for every registered pixel op', () => {
    const missing = pixelOps.filter((op) => !op.geometry && !findTfOp(op.id)).map((op) => op.id);
    expect(missing).toEqual([]);
  });

  for (const op of pixelOps) {
    for (const variant of variants(op)) {
      const label = Object.keys(variant).length ? `${op.id} ${JSON.stringify(variant)}` : op.id;
      it(`${label}: same sampled params, sharp and tf agree (per-image params in one batch)`, async () => {
        await initBackend({ prefer: backend });
        const base = op.params.parse(variant);
        // Each image gets its own draw, so one tf call carries different parameters per image.
        const ops: ConcreteOp[][] = images.map((img, i) => [
          { op: op.id, params: op.sample(createRng(100 + i), base, img) as Record<string, unknown>, path: '0' },
        ]);
        const sharpSide = await Promise.all(images.map((img, i) => applyOps(img, ops[i]!)));
        const tfSide = await applyOpsTfRaw(images, ops);
        const tol = tolerance(op);
        tfSide.forEach((t, i) => {
          const s = sharpSide[i]!;
          expect([t.width, t.height]).toEqual([s.width, s.height]);
          expect(maxAbsDiff(s, t), `${label} image ${i} max`).toBeLessThanOrEqual(tol.max);
          expect(meanAbsDiff(s, t), `${label} image ${i} mean`).toBeLessThanOrEqual(tol.mean);
        });
      });
    }
  }

  it('rotate90 with every k matches exactly, including the swapped size', async () => {
    await initBackend({ prefer: backend });
    const img = images[0]!;
    const ops = [0, 1, 2, 3].map((k) => [{ op: 'rotate90', params: { k }, path: '0' }]);
    const tfSide = await applyOpsTfRaw([img, img, img, img], ops);
    for (const [k, t] of tfSide.entries()) {
      const s = await applyOps(img, ops[k]!);
      expect([t.width, t.height]).toEqual([s.width, s.height]);
      expect(maxAbsDiff(s, t)).toBe(0);
    }
  });

  it('fused chains of geometric ops match the single sharp-side resample', async () => {
    await initBackend({ prefer: backend });
    const fill = { fill: 'constant', fill_colour: '#ffffff' };
    const chains: ConcreteOp[][] = [
      [{ op: 'hflip', params: {}, path: '0' }, { op: 'rotate', params: { angle: 20, ...fill }, path: '1' }, { op: 'crop', params: { x: 0.1, y: 0.05, w: 0.8, h: 0.8 }, path: '2' }],
      [{ op: 'rotate', params: { angle: -25, ...fill }, path: '0' }, { op: 'translate', params: { tx: 0.1, ty: -0.05, fill: 'constant', fill_colour: '#ff0000' }, path: '1' }],
      [{ op: 'vflip', params: {}, path: '0' }, { op: 'zoom', params: { scale: 0.7, fill: 'reflect', fill_colour: '#000000' }, path: '1' }],
    ];
    const img = images[2]!;
    const tfSide = await applyOpsTfRaw(chains.map(() => img), chains);
    for (const [i, chain] of chains.entries()) {
      const s = await applyOps(img, chain);
      expect(maxAbsDiff(s, tfSide[i]!), `chain ${i}`).toBeLessThanOrEqual(INTERPOLATING.max);
      expect(meanAbsDiff(s, tfSide[i]!), `chain ${i}`).toBeLessThanOrEqual(INTERPOLATING.mean);
    }
  });

  it('a reflect stage after a rotation takes a second resample on the tf side, like the unfused sharp chain', async () => {
    await initBackend({ prefer: backend });
    const chain: ConcreteOp[] = [
      { op: 'rotate', params: { angle: 15, fill: 'constant', fill_colour: '#000000' }, path: '0' },
      { op: 'translate', params: { tx: 0.2, ty: 0.1, fill: 'reflect', fill_colour: '#000000' }, path: '1' },
    ];
    const img = images[2]!;
    const [t] = await applyOpsTfRaw([img], [chain]);
    // One projective transform cannot mirror in the rotated frame, so tf resamples twice: it equals
    // the sharp side applied op by op, and differs from the fused (once-interpolated) result by the
    // extra softening of a textured image — bounded, and documented in tf/geometry-plan.ts.
    const unfused = await applyOps(img, chain, { fuse: false });
    expect(meanAbsDiff(unfused, t!)).toBeLessThanOrEqual(INTERPOLATING.mean);
    expect(meanAbsDiff(await applyOps(img, chain), t!)).toBeLessThan(4);
  });

  it('a whole sampled pipeline gives the same images on both sides', async () => {
    await initBackend({ prefer: backend });
    const pipeline = parsePipeline({
      version: 1,
      ops: [
        { op: 'hflip', p: 0.5 },
        { op: 'rotate', p: 0.8, degrees: [-20, 20], fill: 'reflect' },
        { op: 'zoom', p: 0.5, scale: [0.9, 1.2] },
        { op: 'one_of', ops: [{ op: 'brightness', p: 1 }, { op: 'contrast', p: 1 }, { op: 'hue', p: 1 }] },
        { op: 'gaussian_noise', p: 0.5 },
        { op: 'cutout', p: 0.5 },
      ],
    });
    const imgs = [0, 1, 2, 3, 4, 5].map((i) => photoLike(32, 32, 20 + i));
    const ops = imgs.map((img, i) => sampleOps(pipeline, sampleRng(42, i + 1, 3), img));
    const tfSide = await applyOpsTfRaw(imgs, ops);
    for (const [i, img] of imgs.entries()) {
      const s = await applyOps(img, ops[i]!);
      expect(meanAbsDiff(s, tfSide[i]!), `image ${i} (${ops[i]!.map((o) => o.op).join(', ')})`).toBeLessThanOrEqual(0.5);
    }
  });
});

describe('applyOpsTfBatch', () => {
  it('keeps a batch as one tensor, matches the per-image path, and leaves no tensors behind', async () => {
    await initBackend({ prefer: 'cpu' });
    const tf = await import('@tensorflow/tfjs');
    const imgs = [0, 1, 2, 3].map((i) => photoLike(24, 24, 50 + i));
    const pipeline = parsePipeline({ version: 1, ops: [{ op: 'rotate', p: 0.5 }, { op: 'random_resized_crop', width: 40, height: 30 }, { op: 'hue', p: 0.5 }] });
    const ops = imgs.map((img, i) => sampleOps(pipeline, sampleRng(5, i, 0), img));
    const x = tf.tensor4d(Float32Array.from(imgs.flatMap((im) => Array.from(im.data))), [4, 24, 24, 3]);
    const before = tf.memory().numTensors;
    const out = await applyOpsTfBatch(x, ops, { outputSize: { width: 24, height: 24 } });
    expect(out.shape).toEqual([4, 24, 24, 3]);
    const values = await out.data();
    out.dispose();
    expect(tf.memory().numTensors).toBe(before);
    for (const [i, img] of imgs.entries()) {
      const s = await applyOps(img, ops[i]!, { outputSize: { width: 24, height: 24 } });
      const t = { data: Uint8Array.from(values.subarray(i * 24 * 24 * 3, (i + 1) * 24 * 24 * 3)), width: 24, height: 24, channels: 3 as const };
      expect(meanAbsDiff(s, t)).toBeLessThanOrEqual(INTERPOLATING.mean);
    }
    const crops = imgs.map((_img, i) => [{ op: 'crop', params: { x: 0, y: 0, w: 0.5 + i / 10, h: 0.5 + i / 10 }, path: '0' }]);
    await expect(applyOpsTfBatch(x, crops)).rejects.toThrow(/different sizes/);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
