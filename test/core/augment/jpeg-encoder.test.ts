import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { encodeImage } from '../../../src/core/augment/image-io.js';
import { encodeJpeg } from '../../../src/core/augment/jpeg/encode-jpeg.js';
import type { RawImage } from '../../../src/core/augment/op.js';
import { photoLike } from './helpers.js';

function bySharp(image: RawImage, quality: number): Promise<Buffer> {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } }).jpeg({ quality }).toBuffer();
}

function noise(width: number, height: number, seed: number): RawImage {
  const data = new Uint8Array(width * height * 3);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    data[i] = s >>> 24;
  }
  return { data, width, height, channels: 3 };
}

function flat(width: number, height: number, rgb: [number, number, number]): RawImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i += 3) data.set(rgb, i);
  return { data, width, height, channels: 3 };
}

describe('the WebAssembly JPEG encoder', () => {
  it('writes the bytes sharp writes, for every edge case of size and quality', async () => {
    // Sizes cover whole and partial blocks and MCUs in each direction (libjpeg's edge padding and
    // dummy blocks), qualities the scaled tables from the clamped lowest to all-ones.
    const sizes: [number, number][] = [[1, 1], [8, 8], [16, 16], [17, 9], [9, 17], [23, 31], [37, 21], [100, 7], [224, 224], [225, 223]];
    const qualities = [1, 12, 50, 75, 90, 97, 100];
    let compared = 0;
    for (const [w, h] of sizes) {
      for (const q of qualities) {
        for (const image of [photoLike(w, h, w * 31 + q, 30), noise(w, h, w + h + q)]) {
          const ours = encodeJpeg(image, q);
          const theirs = await bySharp(image, q);
          expect(ours.equals(theirs), `${w}×${h} q${q}: ${ours.length} bytes against sharp's ${theirs.length}`).toBe(true);
          compared++;
        }
      }
    }
    expect(compared).toBe(sizes.length * qualities.length * 2);
  });

  it('matches sharp on flat colours, extremes and a larger photo-like image', async () => {
    const images = [flat(40, 24, [0, 0, 0]), flat(40, 24, [255, 255, 255]), flat(33, 17, [255, 0, 0]), flat(16, 48, [0, 255, 128]), photoLike(640, 480, 7, 20)];
    for (const image of images) {
      for (const q of [30, 90]) expect(encodeJpeg(image, q).equals(await bySharp(image, q))).toBe(true);
    }
  });

  it('decodes to the pixels it was given, within JPEG loss', async () => {
    const image = photoLike(96, 64, 3, 4);
    const { data, info } = await sharp(encodeJpeg(image, 95)).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([96, 64, 3]);
    let sum = 0;
    for (let i = 0; i < data.length; i++) sum += Math.abs(data[i]! - image.data[i]!);
    // Mostly the 4:2:0 chroma at the shapes' hard edges.
    expect(sum / data.length).toBeLessThan(4);
  });

  it('is what encodeImage gives for JPEG, and gives the same bytes every time', async () => {
    const image = photoLike(50, 30, 11, 25);
    const first = await encodeImage(image, { format: 'jpeg', quality: 85 });
    expect(first.equals(await bySharp(image, 85))).toBe(true);
    expect((await encodeImage(image, { format: 'jpeg', quality: 85 })).equals(first)).toBe(true);
    // A larger image in between grows the module's memory; the next small one is unaffected.
    encodeJpeg(photoLike(800, 600, 2), 90);
    expect((await encodeImage(image, { format: 'jpeg', quality: 85 })).equals(first)).toBe(true);
    // Above 1.5 MP encodeImage hands JPEGs to sharp: the same bytes.
    const big = flat(2100, 2000, [90, 140, 200]);
    expect((await encodeImage(big, { format: 'jpeg', quality: 80 })).equals(encodeJpeg(big, 80))).toBe(true);
  });

  it('refuses pixels that are not RGB of the stated size', () => {
    expect(() => encodeJpeg({ data: new Uint8Array(10), width: 4, height: 4, channels: 3 }, 90)).toThrow(/RGB pixels/);
  });
});
