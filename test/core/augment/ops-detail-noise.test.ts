import { describe, expect, it } from 'vitest';
import { applyOps } from '../../../src/core/augment/apply.js';
import type { RawImage } from '../../../src/core/augment/op.js';
import { parsePipeline } from '../../../src/core/augment/pipeline.js';
import { createRng } from '../../../src/core/augment/rng.js';
import { sampleOps } from '../../../src/core/augment/sample.js';
import { boxPixels, type CutoutConcrete } from '../../../src/core/augment/ops/cutout.js';
import { meanAbsDiff, photoLike, px, sameBytes } from './helpers.js';

const apply1 = (image: RawImage, op: string, params: Record<string, unknown> = {}) => applyOps(image, [{ op, params, path: '0' }]);

function variance(image: RawImage): number {
  let s = 0;
  let s2 = 0;
  for (const v of image.data) {
    s += v;
    s2 += v * v;
  }
  const n = image.data.length;
  return s2 / n - (s / n) ** 2;
}

/** Sum of squared differences between horizontal neighbours: high for detail, low for blur. */
function roughness(image: RawImage): number {
  let s = 0;
  for (let y = 0; y < image.height; y++) {
    for (let x = 1; x < image.width; x++) {
      const d = image.data[(y * image.width + x) * 3]! - image.data[(y * image.width + x - 1) * 3]!;
      s += d * d;
    }
  }
  return s / (image.width * image.height);
}

function flat(v: number, w = 128, h = 128): RawImage {
  return { data: new Uint8Array(w * h * 3).fill(v), width: w, height: h, channels: 3 };
}

describe('detail ops', () => {
  const img = photoLike(64, 48, 8);

  it('gaussian blur smooths more as σ grows and keeps flat areas flat', async () => {
    const r0 = roughness(img);
    const r1 = roughness(await apply1(img, 'gaussian_blur', { sigma: 0.8, kernel_size: 5 }));
    const r2 = roughness(await apply1(img, 'gaussian_blur', { sigma: 2, kernel_size: 13 }));
    expect(r1).toBeLessThan(r0 * 0.7);
    expect(r2).toBeLessThan(r1);
    expect(sameBytes(await apply1(flat(77, 16, 16), 'gaussian_blur', { sigma: 3, kernel_size: 19 }), flat(77, 16, 16))).toBe(true);
    const tiny = await apply1(img, 'gaussian_blur', { sigma: 0.1, kernel_size: 3 });
    expect(sameBytes(tiny, img)).toBe(true);
  });

  it('sharpen 1 changes nothing, 0 smooths, 2 adds detail', async () => {
    expect(sameBytes(await apply1(img, 'sharpen', { factor: 1 }), img)).toBe(true);
    expect(roughness(await apply1(img, 'sharpen', { factor: 0 }))).toBeLessThan(roughness(img));
    expect(roughness(await apply1(img, 'sharpen', { factor: 2 }))).toBeGreaterThan(roughness(img));
  });

  it('jpeg_quality changes the bytes but stays close, and lower quality strays further', async () => {
    const smooth = photoLike(64, 48, 8, 2);
    const q90 = await apply1(smooth, 'jpeg_quality', { quality: 90 });
    const q10 = await apply1(smooth, 'jpeg_quality', { quality: 10 });
    expect(sameBytes(q90, smooth)).toBe(false);
    // 4:2:0 chroma subsampling blurs the saturated shape edges a little even at quality 90.
    expect(meanAbsDiff(q90, smooth)).toBeLessThan(6);
    expect(meanAbsDiff(q10, smooth)).toBeGreaterThan(meanAbsDiff(q90, smooth));
    expect([q10.width, q10.height]).toEqual([64, 48]);
  });
});

describe('noise ops', () => {
  it('gaussian noise has mean 0 and the σ it reports, per channel', async () => {
    const base = flat(128);
    const out = await apply1(base, 'gaussian_noise', { sigma: 0.05, per_channel: true, seed: 42 });
    let s = 0;
    let s2 = 0;
    for (const v of out.data) {
      s += v - 128;
      s2 += (v - 128) ** 2;
    }
    const n = out.data.length;
    expect(s / n).toBeCloseTo(0, 0);
    expect(Math.sqrt(s2 / n - (s / n) ** 2)).toBeCloseTo(0.05 * 255, 0);
    expect(px(out, 3, 3)[0]).not.toBe(px(out, 3, 3)[1]);
    const grey = await apply1(base, 'gaussian_noise', { sigma: 0.05, per_channel: false, seed: 42 });
    for (let i = 0; i < grey.data.length; i += 3) expect(grey.data[i]).toBe(grey.data[i + 2]);
    expect(Math.sqrt(variance(grey))).toBeCloseTo(0.05 * 255, 0);
  });

  it('gaussian noise depends only on its seed', async () => {
    const base = flat(100, 32, 32);
    const a = await apply1(base, 'gaussian_noise', { sigma: 0.1, per_channel: true, seed: 1 });
    const b = await apply1(base, 'gaussian_noise', { sigma: 0.1, per_channel: true, seed: 1 });
    const c = await apply1(base, 'gaussian_noise', { sigma: 0.1, per_channel: true, seed: 2 });
    expect(sameBytes(a, b)).toBe(true);
    expect(sameBytes(a, c)).toBe(false);
  });

  it('salt and pepper hits the fraction of pixels it reports, split white / black by its share', async () => {
    const out = await apply1(flat(128), 'salt_pepper', { amount: 0.1, salt: 0.3, seed: 9 });
    let white = 0;
    let black = 0;
    const pixels = out.data.length / 3;
    for (let i = 0; i < out.data.length; i += 3) {
      if (out.data[i] === 255) white++;
      else if (out.data[i] === 0) black++;
      else expect(out.data[i]).toBe(128);
    }
    expect((white + black) / pixels).toBeCloseTo(0.1, 2);
    expect(white / (white + black)).toBeCloseTo(0.3, 1);
  });
});

describe('cutout', () => {
  it('fills exactly the rectangles it reports and nothing else', async () => {
    const img = photoLike(80, 60, 3);
    const pipeline = parsePipeline({ version: 1, ops: [{ op: 'cutout', holes: [3, 3], fill_colour: '#000000' }] });
    const ops = sampleOps(pipeline, createRng(12), img);
    const out = await applyOps(img, ops);
    const { rects } = ops[0]!.params as CutoutConcrete;
    expect(rects).toHaveLength(3);
    const inside = (x: number, y: number) =>
      rects.some((r) => {
        const b = boxPixels(r, img);
        return x >= b.x0 && x < b.x1 && y >= b.y0 && y < b.y1;
      });
    let erased = 0;
    for (let y = 0; y < 60; y++) {
      for (let x = 0; x < 80; x++) {
        if (inside(x, y)) {
          expect(px(out, x, y)).toEqual([0, 0, 0]);
          erased++;
        } else expect(px(out, x, y)).toEqual(px(img, x, y));
      }
    }
    expect(erased).toBeGreaterThan(0);
  });

  it('uses the fill colour it is given', async () => {
    const img = photoLike(20, 20, 3);
    const out = await apply1(img, 'cutout', { rects: [{ x: 0.25, y: 0.25, w: 0.5, h: 0.5 }], fill_colour: '#336699' });
    expect(px(out, 10, 10)).toEqual([0x33, 0x66, 0x99]);
    expect(px(out, 1, 1)).toEqual(px(img, 1, 1));
  });
});
