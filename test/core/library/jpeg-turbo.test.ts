import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { plainJpegHeader } from '../../../src/core/library/image-header.js';
import { decodeJpegRgb, encodeJpegRgb, withJpegRgb } from '../../../src/core/library/jpeg-turbo.js';
import { withoutIccProfile } from './fixtures.js';

/** A smooth gradient with some texture, so JPEG keeps real detail. */
function picture(width: number, height: number): sharp.Sharp {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      data[i] = (x * 255) / width;
      data[i + 1] = (y * 255) / height;
      data[i + 2] = 128 + 60 * Math.sin(x / 3) * Math.cos(y / 5);
    }
  }
  return sharp(data, { raw: { width, height, channels: 3 } });
}

function largestDifference(a: Uint8Array, b: Uint8Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

describe('libjpeg-turbo decode and encode', () => {
  it('decodes a plain JPEG to the pixels libvips gives, within a few levels', async () => {
    const jpeg = await picture(120, 90).jpeg({ quality: 85 }).toBuffer();
    const turbo = await decodeJpegRgb(jpeg);
    const vips = await sharp(jpeg).raw().toBuffer();
    expect(turbo).not.toBeNull();
    expect([turbo!.width, turbo!.height, turbo!.data.length]).toEqual([120, 90, vips.length]);
    expect(largestDifference(turbo!.data, vips)).toBeLessThanOrEqual(4);
    let sum = 0;
    for (let i = 0; i < vips.length; i++) sum += Math.abs(turbo!.data[i]! - vips[i]!);
    expect(sum / vips.length).toBeLessThan(1.5);
  });

  it('decodes a grey JPEG to three equal channels', async () => {
    const jpeg = await picture(32, 24).greyscale().jpeg().toBuffer();
    const px = await decodeJpegRgb(jpeg);
    expect(px!.data.length).toBe(32 * 24 * 3);
    expect(px!.data[30]).toBe(px!.data[31]);
    expect(px!.data[31]).toBe(px!.data[32]);
  });

  it('answers null for truncated, corrupt and non-JPEG bytes, so the caller asks libvips', async () => {
    const jpeg = await picture(64, 48).jpeg().toBuffer();
    expect(await decodeJpegRgb(jpeg.subarray(0, Math.floor(jpeg.length * 0.7)))).toBeNull();
    expect(await decodeJpegRgb(Buffer.from('not a jpeg at all, just text'))).toBeNull();
    expect(await decodeJpegRgb(await picture(16, 16).png().toBuffer())).toBeNull();
  });

  it('encodes RGB pixels to a JPEG libvips reads back at the same size and colours', async () => {
    const { data, info } = await picture(64, 48).raw().toBuffer({ resolveWithObject: true });
    const bytes = await encodeJpegRgb({ data, width: info.width, height: info.height, channels: 3 }, 90);
    const back = await sharp(bytes!).raw().toBuffer({ resolveWithObject: true });
    expect([back.info.width, back.info.height, back.info.channels]).toEqual([64, 48, 3]);
    let sum = 0;
    for (let i = 0; i < data.length; i++) sum += Math.abs(data[i]! - back.data[i]!);
    expect(sum / data.length).toBeLessThan(3);
  });
});

describe('reused buffers', () => {
  it('give every one of many decodes and encodes in flight its own pixels and bytes', async () => {
    const sizes = Array.from({ length: 12 }, (_, i) => [40 + i * 7, 30 + i * 5] as const);
    const jpegs = await Promise.all(sizes.map(([w, h]) => picture(w, h).jpeg({ quality: 70 + (w % 20) }).toBuffer()));
    const alone = await Promise.all(jpegs.map((j) => decodeJpegRgb(j)));
    const copies = await Promise.all(jpegs.map((j, i) => withJpegRgb(j, sizes[i]![0], sizes[i]![1], (px) => Buffer.from(px.data))));
    copies.forEach((copy, i) => expect(copy!.equals(alone[i]!.data), `image ${i}`).toBe(true));
    // A header size that is not the file's is refused rather than read past.
    expect(await withJpegRgb(jpegs[0]!, 10, 10, () => 'used')).toBeNull();
    const encoded = await Promise.all(alone.map((px) => encodeJpegRgb(px!, 85)));
    const again = await Promise.all(alone.map((px) => encodeJpegRgb(px!, 85)));
    encoded.forEach((bytes, i) => expect(bytes!.equals(again[i]!), `encode ${i}`).toBe(true));
    const sizesBack = await Promise.all(encoded.map((bytes) => sharp(bytes!).metadata()));
    expect(sizesBack.map((m) => [m.width, m.height])).toEqual(sizes.map(([w, h]) => [w, h]));
  });
});

describe('plainJpegHeader', () => {
  it('takes plain JPEGs with their orientation and leaves CMYK and colour-profiled ones to libvips', async () => {
    const plain = await picture(40, 30).jpeg().toBuffer();
    expect(plainJpegHeader(plain)).toEqual({ width: 40, height: 30, orientation: null, adobe: false });
    const turned = withoutIccProfile(await picture(40, 30).withMetadata({ orientation: 6 }).jpeg().toBuffer());
    expect(plainJpegHeader(turned)).toEqual({ width: 40, height: 30, orientation: 6, adobe: false });
    const profiled = await picture(40, 30).withIccProfile('p3').jpeg().toBuffer();
    expect(plainJpegHeader(withoutIccProfile(profiled))).not.toBeNull();
    expect(plainJpegHeader(profiled)).toBeNull();
    const cmyk = await picture(40, 30).toColourspace('cmyk').jpeg().toBuffer();
    expect(plainJpegHeader(cmyk)).toBeNull();
    expect(plainJpegHeader(await picture(40, 30).png().toBuffer())).toBeNull();
  });
});
