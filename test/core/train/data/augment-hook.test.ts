import { describe, expect, it } from 'vitest';
import { applyOps } from '../../../../src/core/augment/apply.js';
import { parsePipeline } from '../../../../src/core/augment/pipeline.js';
import { sampleRng } from '../../../../src/core/augment/rng.js';
import { sampleOps } from '../../../../src/core/augment/sample.js';
import { augmentImplFor, createAugmentHook } from '../../../../src/core/train/data/augment-hook.js';
import { BatchStream } from '../../../../src/core/train/data/batches.js';
import type { RunSample } from '../../../../src/core/train/data/samples.js';
import { startAugment } from '../../../../src/core/train/data/threaded-augment.js';

const size = 16;
const samples = [1, 2, 3].map((imageId) => ({
  imageId,
  pixels: Uint8Array.from({ length: size * size * 3 }, (_, j) => (j * 13 + imageId * 31) & 255),
}));
const pipeline = { version: 1 as const, ops: [{ op: 'rotate', p: 1, degrees: [10, 30], fill: 'reflect' }, { op: 'brightness', p: 1 }] };
/** Crops a part and scales it back: the output size comes from the last resample, not a second resize. */
const cropping = { version: 1 as const, ops: [{ op: 'random_resized_crop', p: 1, width: 24, height: 24, scale: [0.3, 0.6] }, { op: 'hflip', p: 0.5 }] };

describe('augmentation hook', () => {
  it('trains on raw pixels when there is no pipeline or it has no ops', async () => {
    expect(createAugmentHook(null, 0)).toBeNull();
    const none = await startAugment({ version: 1, ops: [] }, 0);
    expect([none.where, none.hook]).toEqual(['none', null]);
  });

  it('picks the faster implementation per backend, the same for every run on it', () => {
    expect([augmentImplFor('wasm'), augmentImplFor('cpu'), augmentImplFor('tensorflow')]).toEqual(['sharp', 'sharp', 'tf']);
  });

  it('applies the ops preview and export draw for (seed, image, copy), resampled once to the training size', async () => {
    const hook = createAugmentHook(cropping, 7)!;
    const out = await hook({ samples, size, epoch: 2 });
    const parsed = parsePipeline(cropping);
    for (const [i, s] of samples.entries()) {
      const image = { data: s.pixels, width: size, height: size, channels: 3 as const };
      // What preview and export do: the same RNG stream, the same concrete ops, then the engine's own output sizing.
      const ops = sampleOps(parsed, sampleRng(7, s.imageId, 2), image);
      expect(ops.map((o) => o.op)).toContain('random_resized_crop');
      const expected = await applyOps(image, ops, { outputSize: { width: size, height: size } });
      expect(Array.from(out[i]!)).toEqual(Array.from(expected.data));
    }
  });

  it('runs on its own thread with the same output as on the training thread, fresh per epoch and replayable', async () => {
    const inline = createAugmentHook(pipeline, 7)!;
    const running = await startAugment(pipeline, 7);
    try {
      expect([running.where, running.impl]).toEqual(['thread', 'sharp']);
      const threaded = await running.hook!({ samples, size, epoch: 0 });
      const local = await inline({ samples, size, epoch: 0 });
      expect(threaded.map((p) => Array.from(p))).toEqual(local.map((p) => Array.from(p)));
      expect(threaded[0]).toHaveLength(size * size * 3);
      expect(Array.from(threaded[0]!)).not.toEqual(Array.from(samples[0]!.pixels));
      const nextEpoch = await running.hook!({ samples, size, epoch: 1 });
      expect(Array.from(nextEpoch[0]!)).not.toEqual(Array.from(threaded[0]!));
      // The cached decode the samples came from is untouched.
      expect(samples[0]!.pixels[5]).toBe((5 * 13 + 31) & 255);
    } finally {
      await running.close();
    }
  });

  it('prepares batches ahead on the thread, so a training step slower than augmentation never waits after the first batch', async () => {
    const running = await startAugment(cropping, 3);
    try {
      const train: RunSample[] = Array.from({ length: 40 }, (_, i) => ({ id: i + 1, path: '', key: '', label: i % 2 }));
      const decoded = new Map(train.map((s) => [s.id, Uint8Array.from({ length: 32 * 32 * 3 }, (_, j) => (j * 7 + s.id) & 255)]));
      const plan = () => [0, 8, 16, 24, 32].map((i) => train.slice(i, i + 8));
      const stream = new BatchStream(plan, 2, decoded, running.hook, 32);
      for (let epoch = 1; epoch <= 2; epoch++) {
        for (let b = 0; b < 5; b++) {
          const batch = await stream.take(epoch, b);
          expect(batch.pixels).toHaveLength(8);
          // A training step: longer than augmenting 8 images at 32 px (about 5 ms).
          await new Promise((r) => setTimeout(r, 80));
        }
      }
      expect(stream.waits.count).toBe(1);
    } finally {
      await running.close();
    }
  });
});
