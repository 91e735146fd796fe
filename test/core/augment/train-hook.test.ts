import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/shared/api/errors.js';
import { clearImplChoices } from '../../../src/core/augment/impl-choice.js';
import { augmentBatch, createTrainAugmentHook } from '../../../src/core/augment/train-hook.js';
import { initBackend } from '../../../src/core/train/backend/init-backend.js';
import type { AugmentHook } from '../../../src/core/train/data/augment-hook.js';
import { meanAbsDiff, photoLike } from './helpers.js';

const S = 32;
const raws = [0, 1, 2, 3, 4].map((i) => photoLike(S, S, 30 + i));
const images = raws.map((r) => r.data);
const imageIds = [11, 12, 13, 14, 15];
const pipeline = {
  version: 1,
  ops: [
    { op: 'hflip', p: 0.5 },
    { op: 'rotate', p: 1, degrees: [-25, 25], fill: 'reflect' },
    { op: 'brightness', p: 0.7, factor: [0.7, 1.3] },
    { op: 'cutout', p: 0.5 },
  ],
};
const asRaw = (data: Uint8Array) => ({ data, width: S, height: S, channels: 3 as const });

beforeAll(async () => {
  await initBackend({ prefer: 'cpu' });
});

describe('augmentBatch', () => {
  it('draws the same concrete ops for both implementations, and their pixels agree', async () => {
    const base = { images, imageIds, epoch: 2, pipeline, seed: 7 };
    const bySharp = await augmentBatch({ ...base, impl: 'sharp' });
    const byTf = await augmentBatch({ ...base, impl: 'tf' });
    expect(byTf.ops).toEqual(bySharp.ops);
    expect(bySharp.impl).toBe('sharp');
    expect(byTf.impl).toBe('tf');
    byTf.pixels!.forEach((p, i) => {
      expect(p.length).toBe(S * S * 3);
      expect(meanAbsDiff(asRaw(p), asRaw(bySharp.pixels![i]!))).toBeLessThanOrEqual(0.5);
    });
  });

  it('is deterministic, and each epoch is a fresh draw', async () => {
    const base = { images, imageIds, pipeline, seed: 7, impl: 'sharp' as const };
    const a = await augmentBatch({ ...base, epoch: 0 });
    const b = await augmentBatch({ ...base, epoch: 0 });
    const c = await augmentBatch({ ...base, epoch: 1 });
    a.pixels!.forEach((p, i) => expect(Buffer.compare(Buffer.from(p), Buffer.from(b.pixels![i]!))).toBe(0));
    expect(c.ops).not.toEqual(a.ops);
    const t1 = await augmentBatch({ ...base, impl: 'tf', epoch: 0 });
    const t2 = await augmentBatch({ ...base, impl: 'tf', epoch: 0 });
    t1.pixels!.forEach((p, i) => expect(Buffer.compare(Buffer.from(p), Buffer.from(t2.pixels![i]!))).toBe(0));
  });

  it('brings a size-changing pipeline back to the training size on both sides', async () => {
    const crop = { version: 1, ops: [{ op: 'random_resized_crop', width: 96, height: 64, scale: [0.3, 0.9] }, { op: 'rotate90', k: [1, 1] }] };
    const base = { images, imageIds, epoch: 0, pipeline: crop, seed: 3 };
    const bySharp = await augmentBatch({ ...base, impl: 'sharp' });
    const byTf = await augmentBatch({ ...base, impl: 'tf' });
    byTf.pixels!.forEach((p, i) => {
      expect(p.length).toBe(S * S * 3);
      expect(meanAbsDiff(asRaw(p), asRaw(bySharp.pixels![i]!))).toBeLessThanOrEqual(0.5);
    });
  });

  it('takes a tensor in and gives a 0..1 tensor out, equal to the pixel path', async () => {
    const base = { imageIds, epoch: 1, pipeline, seed: 9, impl: 'tf' as const };
    const flat = new Float32Array(images.length * S * S * 3);
    images.forEach((p, i) => flat.set(p, i * S * S * 3));
    const input = tf.tensor4d(flat, [images.length, S, S, 3]);
    const out = await augmentBatch({ ...base, images: input, output: 'tensor' });
    const px = await augmentBatch({ ...base, images });
    input.dispose();
    expect(out.tensor!.shape).toEqual([images.length, S, S, 3]);
    const values = await out.tensor!.data();
    out.tensor!.dispose();
    const expected = px.pixels!.flatMap((p) => Array.from(p, (v) => v / 255));
    let worst = 0;
    for (let i = 0; i < values.length; i++) worst = Math.max(worst, Math.abs(values[i]! - expected[i]!));
    expect(worst).toBeLessThan(1e-6);
  });

  it("'auto' measures both implementations once per backend, size and pipeline, then reuses the choice", async () => {
    clearImplChoices();
    const base = { images, imageIds, epoch: 0, pipeline, seed: 1, impl: 'auto' as const };
    const first = await augmentBatch(base);
    expect(first.measurement).not.toBeNull();
    expect(first.measurement!.msPerImage.sharp).toBeGreaterThan(0);
    expect(first.measurement!.msPerImage.tf).toBeGreaterThan(0);
    expect(first.impl).toBe(first.measurement!.impl);
    const second = await augmentBatch({ ...base, epoch: 1 });
    expect(second.measurement).toBeNull();
    expect(second.impl).toBe(first.impl);
    const otherSize = await augmentBatch({ ...base, images: images.map(() => photoLike(24, 24, 2).data) });
    expect(otherSize.measurement).not.toBeNull();
  });

  it('leaves no tensors behind on either output path', async () => {
    const base = { images, imageIds, epoch: 4, pipeline, seed: 2, impl: 'tf' as const };
    await augmentBatch(base);
    const before = tf.memory().numTensors;
    await augmentBatch(base);
    const out = await augmentBatch({ ...base, output: 'tensor' });
    out.tensor!.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects a mismatched batch with an error naming the image', async () => {
    const bad = [...images.slice(0, 4), new Uint8Array(10)];
    await expect(augmentBatch({ images: bad, imageIds, epoch: 0, pipeline, seed: 1, impl: 'sharp' })).rejects.toThrow(/image 4 \(id 15\)/);
    await expect(augmentBatch({ images, imageIds: [1, 2], epoch: 0, pipeline, seed: 1 })).rejects.toThrow(ApiError);
  });
});

describe('createTrainAugmentHook', () => {
  it('fails at creation on a bad pipeline, naming the op and field', () => {
    expect(() => createTrainAugmentHook({ version: 1, ops: [{ op: 'rotate', degrees: [10, -10] }] }, 1)).toThrow(/ops\[0\] \(rotate\), field "degrees"/);
  });

  it('augments training samples exactly as augmentBatch does for the same seed and epoch', async () => {
    // Typed as the training engine's seam: the hook drops into its place as it is.
    const hook: AugmentHook = createTrainAugmentHook(pipeline, 5, { impl: 'sharp' });
    const samples = imageIds.map((imageId, i) => ({ imageId, pixels: images[i]! }));
    const before = samples.map((s) => Uint8Array.from(s.pixels));
    const out = await hook({ samples, size: S, epoch: 3 });
    const direct = await augmentBatch({ images, imageIds, epoch: 3, pipeline, seed: 5, impl: 'sharp' });
    expect(out).toHaveLength(samples.length);
    out.forEach((p, i) => expect(Buffer.compare(Buffer.from(p), Buffer.from(direct.pixels![i]!))).toBe(0));
    // The cached decode passed in is never modified.
    samples.forEach((s, i) => expect(Buffer.compare(Buffer.from(s.pixels), Buffer.from(before[i]!))).toBe(0));
  });
});
