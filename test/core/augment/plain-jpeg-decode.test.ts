import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../../../src/core/augment/image-io.js';
import type { RawImage } from '../../../src/core/augment/op.js';
import { decodePlainJpeg, plainJpeg } from '../../../src/core/augment/plain-jpeg-decode.js';
import { ApiError } from '../../../src/shared/api/errors.js';
import { photoLike } from './helpers.js';

/** What decodeImage gave before the direct decoder: libvips all the way. */
async function bySharp(bytes: Buffer, extra: (p: sharp.Sharp) => sharp.Sharp = (p) => p): Promise<RawImage> {
  const pipe = extra(sharp(bytes, { failOn: 'error' }).rotate().flatten({ background: '#ffffff' }).toColourspace('srgb'));
  const { data, info } = await pipe.raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height, channels: 3 };
}

function encode(width: number, height: number, seed: number, jpeg: sharp.JpegOptions, grey = false): Promise<Buffer> {
  let pipe = sharp(photoLike(width, height, seed, 30).data, { raw: { width, height, channels: 3 } });
  if (grey) pipe = pipe.toColourspace('b-w');
  return pipe.jpeg(jpeg).toBuffer();
}

function diff(a: RawImage, b: RawImage): { mean: number; max: number } {
  expect([a.width, a.height, a.data.length]).toEqual([b.width, b.height, b.data.length]);
  let sum = 0;
  let max = 0;
  for (let i = 0; i < a.data.length; i++) {
    const d = Math.abs(a.data[i]! - b.data[i]!);
    sum += d;
    max = Math.max(max, d);
  }
  return { mean: sum / a.data.length, max };
}

describe('plain JPEGs decoded without libvips', () => {
  it('gives libvips’ pixels within a few levels on varied JPEGs', async () => {
    const cases: [string, Buffer][] = [
      ['q75 4:4:4', await encode(64, 48, 1, { quality: 75, chromaSubsampling: '4:4:4' })],
      ['q90 4:2:0', await encode(64, 48, 2, { quality: 90 })],
      ['q97', await encode(50, 37, 3, { quality: 97 })],
      ['progressive', await encode(61, 45, 4, { quality: 85, progressive: true })],
      ['mozjpeg tables', await encode(48, 48, 5, { quality: 80, mozjpeg: true })],
      ['grey', await encode(40, 30, 6, { quality: 90 }, true)],
      ['odd size', await encode(17, 9, 7, { quality: 90 })],
      ['one pixel', await encode(1, 1, 8, { quality: 90 })],
      ['tall progressive', await encode(13, 101, 9, { quality: 88, progressive: true })],
    ];
    const dir = mkdtempSync(path.join(os.tmpdir(), 'smallset-plain-jpeg-'));
    const file = path.join(dir, 'image.jpg');
    for (const [name, bytes] of cases) {
      const direct = await decodePlainJpeg(bytes);
      expect(direct, name).not.toBeNull();
      const d = diff(direct!, await bySharp(bytes));
      expect(d.mean, name).toBeLessThan(0.6);
      expect(d.max, name).toBeLessThanOrEqual(4);
      // decodeImage takes this path, from bytes and from a path alike.
      expect(Buffer.from((await decodeImage(bytes)).data).equals(Buffer.from(direct!.data)), name).toBe(true);
      writeFileSync(file, bytes);
      expect(Buffer.from((await decodeImage(file)).data).equals(Buffer.from(direct!.data)), name).toBe(true);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('crops a region from the same pixels as the whole image, and leaves shrinking to sharp', async () => {
    const bytes = await encode(70, 50, 11, { quality: 90 });
    const whole = await decodeImage(bytes);
    const region = { left: 9, top: 7, width: 33, height: 21 };
    const part = await decodeImage(bytes, { region });
    expect([part.width, part.height]).toEqual([33, 21]);
    for (let y = 0; y < region.height; y++) {
      const row = whole.data.subarray(((region.top + y) * 70 + region.left) * 3, ((region.top + y) * 70 + region.left + region.width) * 3);
      expect(Buffer.from(part.data.subarray(y * 33 * 3, (y + 1) * 33 * 3)).equals(Buffer.from(row))).toBe(true);
    }
    // Larger than maxSide: sharp's shrink-on-load, exactly as before; at or under it, no resize.
    const shrunk = await decodeImage(bytes, { maxSide: 35 });
    expect(diff(shrunk, await bySharp(bytes, (p) => p.resize({ width: 35, height: 35, fit: 'inside', withoutEnlargement: true }))).max).toBe(0);
    expect(Buffer.from((await decodeImage(bytes, { maxSide: 70 })).data).equals(Buffer.from(whole.data))).toBe(true);
    // A region outside the image is sharp's to refuse.
    await expect(decodeImage(bytes, { region: { left: 60, top: 0, width: 20, height: 10 } })).rejects.toBeInstanceOf(ApiError);
  });

  it('leaves CMYK, colour profiles, EXIF rotation, Adobe markers, trailing bytes and truncated files to sharp', async () => {
    const raw = photoLike(40, 30, 12, 30);
    const base = sharp(raw.data, { raw: { width: 40, height: 30, channels: 3 } });
    const plain = await base.clone().jpeg({ quality: 90 }).toBuffer();
    const adobe = Buffer.concat([plain.subarray(0, 2), Buffer.from([0xff, 0xee, 0x00, 0x0e, 0x41, 0x64, 0x6f, 0x62, 0x65, 0x00, 0x64, 0x00, 0x00, 0x00, 0x00, 0x01]), plain.subarray(2)]);
    const others: [string, Buffer][] = [
      ['cmyk', await base.clone().toColourspace('cmyk').jpeg().toBuffer()],
      ['icc', await base.clone().withIccProfile('p3').jpeg().toBuffer()],
      ['rotated', await base.clone().jpeg().withMetadata({ orientation: 6 }).toBuffer()],
      ['adobe', adobe],
      ['trailing bytes', Buffer.concat([plain, Buffer.alloc(16, 7)])],
    ];
    expect(plainJpeg(plain)).toEqual({ width: 40, height: 30 });
    for (const [name, bytes] of others) {
      expect(plainJpeg(bytes), name).toBeNull();
      expect(await decodePlainJpeg(bytes), name).toBeNull();
      expect(diff(await decodeImage(bytes), await bySharp(bytes)).max, name).toBe(0);
    }
    const rotated = await decodeImage(others[2]![1]);
    expect([rotated.width, rotated.height]).toEqual([30, 40]);

    // A header forged to claim 20000 × 20000 pixels meets sharp's pixel limit, not an allocation.
    const forged = Buffer.from(plain);
    const sof = forged.indexOf(Buffer.from([0xff, 0xc0]));
    forged.writeUInt16BE(20000, sof + 5);
    forged.writeUInt16BE(20000, sof + 7);
    expect(plainJpeg(forged)).toEqual({ width: 20000, height: 20000 });
    await expect(decodeImage(forged, { name: 'big.jpg' })).rejects.toThrow(/Cannot decode big\.jpg: .*pixel limit/i);

    // The decoder would fill a truncated file with grey; sharp refuses it, with today's message.
    for (const cut of [plain.length - 2, plain.length >> 1]) {
      const truncated = plain.subarray(0, cut);
      expect(await decodePlainJpeg(truncated)).toBeNull();
      await expect(decodeImage(truncated, { name: 'cut.jpg' })).rejects.toThrow(/Cannot decode cut\.jpg: .*premature end/i);
    }
  });
});
