import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../../../src/core/augment/image-io.js';
import { decodeJpegRgb, type Region } from '../../../src/core/augment/jpeg/decode-jpeg.js';
import { plainJpegHeader } from '../../../src/core/library/image-header.js';
import { photoLike } from './helpers.js';

const FIXTURES = path.join(__dirname, '../../fixtures/jpeg');

/** libvips' pixels (libjpeg-turbo, islow, fancy upsampling), as RGB. */
async function bySharp(bytes: Buffer, region?: Region): Promise<Buffer> {
  let pipe = sharp(bytes).toColourspace('srgb');
  if (region) pipe = pipe.extract(region);
  return pipe.raw().toBuffer();
}

function sizeOf(bytes: Buffer): { width: number; height: number } {
  const header = plainJpegHeader(bytes);
  if (!header) throw new Error('not a plain JPEG');
  return { width: header.width, height: header.height };
}

function encode(width: number, height: number, seed: number, options: sharp.JpegOptions, grey = false): Promise<Buffer> {
  let pipe = sharp(photoLike(width, height, seed, 30).data, { raw: { width, height, channels: 3 } });
  if (grey) pipe = pipe.toColourspace('b-w');
  return pipe.jpeg(options).toBuffer();
}

async function expectExact(name: string, bytes: Buffer, region?: Region): Promise<void> {
  const ours = decodeJpegRgb(bytes, sizeOf(bytes), region);
  expect(ours, name).not.toBeNull();
  const theirs = await bySharp(bytes, region);
  expect(Buffer.from(ours!.data).equals(theirs), `${name}: pixels differ from libvips'`).toBe(true);
}

describe('the WebAssembly JPEG decoder', () => {
  it('gives libjpeg-turbo’s pixels exactly for baseline files of every size, sampling and quality', async () => {
    // Widths of 1–4 take libjpeg's plain replication instead of fancy upsampling.
    const sizes: [number, number][] = [[1, 1], [2, 3], [3, 5], [5, 2], [17, 9], [33, 65], [101, 77], [224, 224]];
    for (const [w, h] of sizes) {
      for (const options of [{ quality: 90 }, { quality: 50 }, { quality: 97, chromaSubsampling: '4:4:4' }, { quality: 75, trellisQuantisation: true, overshootDeringing: true, quantisationTable: 3 }] as sharp.JpegOptions[]) {
        await expectExact(`${w}×${h} ${JSON.stringify(options)}`, await encode(w, h, w * h, options));
      }
      await expectExact(`${w}×${h} grey`, await encode(w, h, w + 1, { quality: 85 }, true));
    }
  });

  it('follows restart markers and 4:2:2 sampling (files from cjpeg)', async () => {
    for (const file of ['422-restart-every-3-mcus.jpg', '420-restart-every-row.jpg', '444-restart-every-2-mcus.jpg', '420-cjpeg-optimized.jpg']) {
      const bytes = readFileSync(path.join(FIXTURES, file));
      await expectExact(file, bytes);
      const { width, height } = sizeOf(bytes);
      await expectExact(`${file} region`, bytes, { left: 3, top: 5, width: width - 7, height: height - 9 });
    }
  });

  it('decodes a region to the same pixels as the whole image, at every edge', async () => {
    const photo = await encode(150, 97, 3, { quality: 90 });
    const regions: Region[] = [
      { left: 0, top: 0, width: 150, height: 97 },
      { left: 0, top: 0, width: 1, height: 1 },
      { left: 149, top: 96, width: 1, height: 1 },
      { left: 1, top: 1, width: 15, height: 15 },
      { left: 17, top: 33, width: 100, height: 40 },
      { left: 63, top: 0, width: 87, height: 97 },
      { left: 0, top: 50, width: 150, height: 47 },
    ];
    for (const r of regions) await expectExact(`region ${JSON.stringify(r)}`, photo, r);
    const wide = readFileSync(path.join(FIXTURES, '422-restart-every-3-mcus.jpg'));
    await expectExact('4:2:2 right edge', wide, { left: 30, top: 20, width: 11, height: 9 });
  });

  it('refuses what it does not handle, and data that runs out, instead of guessing', async () => {
    const progressive = await encode(40, 30, 5, { quality: 90, progressive: true });
    expect(decodeJpegRgb(progressive, sizeOf(progressive))).toBeNull();
    const bytes = await encode(64, 64, 6, { quality: 90 });
    const sos = bytes.lastIndexOf(Buffer.from([0xff, 0xda]));
    const cut = Buffer.concat([bytes.subarray(0, sos + 40), Buffer.from([0xff, 0xd9])]);
    expect(decodeJpegRgb(cut, sizeOf(cut))).toBeNull();
    expect(decodeJpegRgb(Buffer.from('not a jpeg at all'), { width: 4, height: 4 })).toBeNull();
    expect(decodeJpegRgb(bytes, sizeOf(bytes), { left: 60, top: 0, width: 10, height: 10 })).toBeNull();
  });

  it('never throws on damaged files: each gives null or pixels of the asked size', async () => {
    const bytes = await encode(48, 40, 12, { quality: 85 });
    const size = sizeOf(bytes);
    let state = 7;
    const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) >>> 8) / 16777216;
    let decoded = 0;
    for (let trial = 0; trial < 400; trial++) {
      const damaged = Buffer.from(bytes);
      const flips = 1 + Math.floor(random() * 4);
      for (let k = 0; k < flips; k++) damaged[2 + Math.floor(random() * (damaged.length - 4))] = Math.floor(random() * 256);
      const cut = trial % 5 === 0 ? Buffer.concat([damaged.subarray(0, Math.floor(random() * damaged.length)), Buffer.from([0xff, 0xd9])]) : damaged;
      const image = decodeJpegRgb(cut, size);
      if (image) {
        expect(image.data.length).toBe(48 * 40 * 3);
        decoded++;
      }
    }
    // Damage in the entropy-coded data often still decodes (to other pixels), as it does in libjpeg.
    expect(decoded).toBeGreaterThan(0);
    expect(decodeJpegRgb(bytes, size)).not.toBeNull();
  });

  it('is what decodeImage uses for baseline JPEGs, so their pixels are libvips’ own', async () => {
    const bytes = await encode(120, 90, 9, { quality: 88 });
    expect(Buffer.from((await decodeImage(bytes)).data).equals(await bySharp(bytes))).toBe(true);
    const region = { left: 10, top: 20, width: 64, height: 48 };
    expect(Buffer.from((await decodeImage(bytes, { region })).data).equals(await bySharp(bytes, region))).toBe(true);
  });
});
