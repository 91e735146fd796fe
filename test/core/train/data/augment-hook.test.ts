import { describe, expect, it } from 'vitest';
import { createAugmentHook } from '../../../../src/core/train/data/augment-hook.js';
import { startAugment } from '../../../../src/core/train/data/threaded-augment.js';

const size = 16;
const samples = [1, 2, 3].map((imageId) => ({
  imageId,
  pixels: Uint8Array.from({ length: size * size * 3 }, (_, j) => (j * 13 + imageId * 31) & 255),
}));
const pipeline = { version: 1 as const, ops: [{ op: 'rotate', p: 1, degrees: [10, 30], fill: 'reflect' }, { op: 'brightness', p: 1 }] };

describe('augmentation hook', () => {
  it('trains on raw pixels when there is no pipeline or it has no ops', async () => {
    expect(createAugmentHook(null, 0)).toBeNull();
    const none = await startAugment({ version: 1, ops: [] }, 0);
    expect([none.where, none.hook]).toEqual(['none', null]);
  });

  it('runs on its own thread with the same output as on the training thread, fresh per epoch and replayable', async () => {
    const inline = createAugmentHook(pipeline, 7)!;
    const running = await startAugment(pipeline, 7);
    try {
      expect(running.where).toBe('thread');
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
});
