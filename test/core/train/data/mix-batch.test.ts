import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { cutmix, cutmixBox, mixBatch, mixup } from '../../../../src/core/train/data/mix-batch.js';
import { imageTensor, targetTensor } from '../../../../src/core/train/data/tensors.js';
import { mulberry32 } from '../../../../src/core/train/seeded-random.js';

function batch() {
  // Two 4×4 images: all 0.2 and all 0.8; classes 0 and 1.
  const x = tf.concat([tf.fill([1, 4, 4, 3], 0.2), tf.fill([1, 4, 4, 3], 0.8)]) as tf.Tensor4D;
  const y = tf.tensor2d([
    [1, 0],
    [0, 1],
  ]);
  return { x, y };
}

describe('targets and pixels', () => {
  it('smooths one-hot targets to 1 − ε + ε/K and ε/K', () => {
    expect(targetTensor([1, 0], 2, 0.1).arraySync()).toEqual([
      [0.05000000074505806, 0.949999988079071],
      [0.949999988079071, 0.05000000074505806],
    ]);
  });

  it('scales bytes to [0, 1] in NHWC order', () => {
    const t = imageTensor([Uint8Array.from([0, 51, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0])], 2);
    expect(t.shape).toEqual([1, 2, 2, 3]);
    expect(Array.from(t.dataSync().slice(0, 3))).toEqual([0, 0.20000000298023224, 1]);
  });
});

describe('MixUp', () => {
  it('mixes each image and target with its partner by λ', () => {
    const { x, y } = batch();
    const out = mixup(x, y, 0.75, [1, 0]);
    // 0.75·0.2 + 0.25·0.8 = 0.35; 0.75·0.8 + 0.25·0.2 = 0.65
    expect(out.x.max().arraySync()).toBeCloseTo(0.65, 6);
    expect(out.x.min().arraySync()).toBeCloseTo(0.35, 6);
    expect(out.y.arraySync()[0]![0]).toBeCloseTo(0.75, 6);
    expect(out.y.arraySync()[1]![0]).toBeCloseTo(0.25, 6);
  });
});

describe('CutMix', () => {
  it('pastes the partner’s box and mixes targets by the pasted area', () => {
    const { x, y } = batch();
    const out = cutmix(x, y, { x0: 0, y0: 0, x1: 2, y1: 2 }, [1, 0]);
    expect(out.lambda).toBe(0.75);
    const img0 = out.x.slice([0, 0, 0, 0], [1, 4, 4, 1]).reshape([4, 4]).arraySync() as number[][];
    expect(img0[0]![0]).toBeCloseTo(0.8, 6);
    expect(img0[1]![1]).toBeCloseTo(0.8, 6);
    expect(img0[2]![2]).toBeCloseTo(0.2, 6);
    expect(out.y.arraySync()[0]).toEqual([0.75, 0.25]);
  });

  it('draws boxes whose area matches 1 − λ before clipping', () => {
    const box = cutmixBox(100, 0.75, () => 0.5);
    expect((box.x1 - box.x0) * (box.y1 - box.y0)).toBe(2500);
  });
});

describe('mixBatch', () => {
  it('leaves the batch alone when both mixes are off', () => {
    const { x, y } = batch();
    const out = mixBatch(x, y, { mixup: 0, cutmix: 0 }, mulberry32(1));
    expect(out.kind).toBe('none');
    expect(out.x).toBe(x);
  });

  it('is replayable: the same seed gives the same mixed batch', () => {
    const a = mixBatch(batch().x, batch().y, { mixup: 0.4, cutmix: 1 }, mulberry32(9));
    const b = mixBatch(batch().x, batch().y, { mixup: 0.4, cutmix: 1 }, mulberry32(9));
    expect(a.kind).not.toBe('none');
    expect(a.kind).toBe(b.kind);
    expect(a.lambda).toBe(b.lambda);
    expect(Array.from(a.x.dataSync())).toEqual(Array.from(b.x.dataSync()));
    // Targets of a mixed pair still sum to one per row.
    for (const row of a.y.arraySync()) expect(row[0]! + row[1]!).toBeCloseTo(1, 6);
  });
});
