import { describe, expect, it } from 'vitest';
import { applyOps } from '../../../src/core/augment/apply.js';
import type { RawImage } from '../../../src/core/augment/op.js';
import { channelMean, photoLike, px } from './helpers.js';

const apply1 = (image: RawImage, op: string, params: Record<string, unknown> = {}) => applyOps(image, [{ op, params, path: '0' }]);

function solid(r: number, g: number, b: number, w = 8, h = 8): RawImage {
  const data = new Uint8Array(w * h * 3);
  for (let i = 0; i < data.length; i += 3) {
    data[i] = r;
    data[i + 1] = g;
    data[i + 2] = b;
  }
  return { data, width: w, height: h, channels: 3 };
}

function distinct(image: RawImage, c: number): Set<number> {
  const s = new Set<number>();
  for (let i = c; i < image.data.length; i += 3) s.add(image.data[i]!);
  return s;
}

describe('colour ops on pixels', () => {
  const img = photoLike(64, 48, 5);

  it('brightness scales the mean by its factor (no clipping on a dim image)', async () => {
    const dim = await apply1(img, 'brightness', { factor: 0.5 });
    const out = await apply1(dim, 'brightness', { factor: 1.6 });
    expect(channelMean(out) / channelMean(dim)).toBeCloseTo(1.6, 1);
    expect(channelMean(dim) / channelMean(img)).toBeCloseTo(0.5, 1);
  });

  it('contrast keeps the mean grey and scales spread by its factor', async () => {
    const out = await apply1(img, 'contrast', { factor: 0.5 });
    expect(channelMean(out)).toBeCloseTo(channelMean(img), -1);
    const spread = (im: RawImage) => {
      const m = channelMean(im, 1);
      let s = 0;
      for (let i = 1; i < im.data.length; i += 3) s += Math.abs(im.data[i]! - m);
      return s;
    };
    expect(spread(out) / spread(img)).toBeCloseTo(0.5, 1);
  });

  it('saturation 0 gives grey pixels and 1 changes nothing', async () => {
    const grey = await apply1(img, 'saturation', { factor: 0 });
    const [r, g, b] = px(grey, 10, 10);
    expect(r).toBe(g);
    expect(g).toBe(b);
    expect(Buffer.compare(Buffer.from((await apply1(img, 'saturation', { factor: 1 })).data), Buffer.from(img.data))).toBe(0);
  });

  it('hue by a third of a turn sends red to green and green to blue', async () => {
    expect(px(await apply1(solid(200, 20, 20), 'hue', { shift: 1 / 3 }), 0, 0)).toEqual([20, 200, 20]);
    expect(px(await apply1(solid(20, 200, 20), 'hue', { shift: 1 / 3 }), 0, 0)).toEqual([20, 20, 200]);
    expect(px(await apply1(solid(200, 20, 20), 'hue', { shift: -1 / 6 }), 0, 0)).toEqual([200, 20, 200]);
    expect(px(await apply1(solid(90, 90, 90), 'hue', { shift: 0.3 }), 0, 0)).toEqual([90, 90, 90]);
  });

  it('gamma follows 255·(v/255)^γ', async () => {
    expect(px(await apply1(solid(64, 128, 255), 'gamma', { gamma: 2 }), 0, 0)).toEqual([16, 64, 255]);
  });

  it('grayscale makes all three channels equal, with luma weights', async () => {
    const out = await apply1(img, 'grayscale');
    for (let i = 0; i < out.data.length; i += 3) {
      expect(out.data[i]).toBe(out.data[i + 1]);
      expect(out.data[i + 1]).toBe(out.data[i + 2]);
    }
    expect(px(await apply1(solid(255, 0, 0), 'grayscale'), 0, 0)).toEqual([76, 76, 76]);
  });

  it('posterize keeps 2^bits levels per channel, multiples of 2^(8−bits)', async () => {
    const out = await apply1(img, 'posterize', { bits: 2 });
    for (let c = 0; c < 3; c++) {
      const levels = distinct(out, c);
      expect(levels.size).toBeLessThanOrEqual(4);
      for (const v of levels) expect(v % 64).toBe(0);
    }
  });

  it('solarize inverts exactly the values at or above the threshold', async () => {
    const out = await apply1(img, 'solarize', { threshold: 0.5 });
    for (let i = 0; i < img.data.length; i++) {
      const v = img.data[i]!;
      expect(out.data[i]).toBe(v >= 127.5 ? 255 - v : v);
    }
  });

  it('equalize flattens the histogram (cumulative share tracks value)', async () => {
    // A low-contrast image: every value between 100 and 139.
    const data = new Uint8Array(64 * 64 * 3);
    for (let i = 0; i < data.length; i++) data[i] = 100 + ((i * 7919) % 40);
    const flatIn: RawImage = { data, width: 64, height: 64, channels: 3 };
    const out = await apply1(flatIn, 'equalize');
    const values = Array.from(out.data.filter((_v, i) => i % 3 === 0)).sort((a, b) => a - b);
    expect(values[0]).toBeLessThan(10);
    expect(values[values.length - 1]).toBeGreaterThan(240);
    // Uniform after equalizing: the quartiles sit near 64, 128, 192.
    for (const [q, want] of [[0.25, 64], [0.5, 128], [0.75, 192]] as const) {
      expect(Math.abs(values[Math.floor(q * values.length)]! - want)).toBeLessThan(16);
    }
  });

  it('autocontrast stretches each channel to 0…255', async () => {
    const data = new Uint8Array(16 * 3);
    for (let i = 0; i < data.length; i++) data[i] = 50 + (i % 16) * 4;
    const out = await apply1({ data, width: 16, height: 1, channels: 3 }, 'autocontrast');
    for (let c = 0; c < 3; c++) {
      const v = [...distinct(out, c)];
      expect(Math.min(...v)).toBe(0);
      expect(Math.max(...v)).toBe(255);
    }
  });
});
