import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { photoLikeJpeg } from '../../../src/core/library/bench/photo-like.js';
import { FAST_THUMBNAIL_MAX_PIXELS, fastThumbnailPixels } from '../../../src/core/library/fast-thumbnail.js';
import { readImageFile } from '../../../src/core/library/read-image.js';
import { encodeThumbnail, THUMB_SIZE, thumbnailPixels, thumbPath, type RawPixels } from '../../../src/core/library/thumbnails.js';
import type { FoundFile } from '../../../src/core/library/walk-folder.js';
import { measurePixels } from '../../../src/core/quality/measure-image.js';
import { sandbox, withoutIccProfile, type Sandbox } from './fixtures.js';

function meanDifference(a: RawPixels, b: RawPixels): number {
  expect([a.width, a.height, a.channels]).toEqual([b.width, b.height, b.channels]);
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += Math.abs(a.data[i]! - b.data[i]!);
  return sum / a.data.length;
}

function hammingDistance(a: string, b: string): number {
  let bits = 0;
  for (let i = 0; i < a.length; i++) {
    let x = parseInt(a[i]!, 16) ^ parseInt(b[i]!, 16);
    for (; x; x >>= 1) bits += x & 1;
  }
  return bits;
}

/** A photo-like JPEG with EXIF orientation and no colour profile, as cameras write them. */
async function turnedPhoto(orientation: number, width = 500, height = 375): Promise<Buffer> {
  const photo = await photoLikeJpeg(orientation, width, height);
  return withoutIccProfile(await sharp(photo).withMetadata({ orientation }).jpeg({ quality: 90 }).toBuffer());
}

describe('fast thumbnail path (libjpeg-turbo + resize.c)', () => {
  it.each([
    [500, 375],
    [375, 500],
    [640, 480],
    [200, 150],
  ])('gives a %i×%i photo the thumbnail and measures sharp gives, within a level', async (width, height) => {
    const jpeg = await photoLikeJpeg(width + height, width, height);
    const fast = await fastThumbnailPixels(jpeg, THUMB_SIZE);
    const slow = await thumbnailPixels(jpeg);
    expect(fast).not.toBeNull();
    expect(meanDifference(fast!, slow)).toBeLessThan(1.5);
    const a = measurePixels(fast!);
    const b = measurePixels(slow);
    expect(hammingDistance(a.phash, b.phash)).toBeLessThanOrEqual(2);
    expect(hammingDistance(a.phashCentre, b.phashCentre)).toBeLessThanOrEqual(2);
    expect(Math.abs(a.brightness - b.brightness)).toBeLessThan(1);
    expect(Math.abs(a.colourfulness - b.colourfulness)).toBeLessThan(1);
    expect(a.sharpness / b.sharpness).toBeGreaterThan(0.95);
    expect(a.sharpness / b.sharpness).toBeLessThan(1.05);
  });

  it('reads progressive and grey JPEGs as sharp does', async () => {
    const photo = await photoLikeJpeg(11);
    const progressive = await sharp(photo).jpeg({ progressive: true, quality: 85 }).toBuffer();
    const fast = await fastThumbnailPixels(progressive, THUMB_SIZE);
    expect(meanDifference(fast!, await thumbnailPixels(progressive))).toBeLessThan(1.5);

    const grey = await sharp(photo).greyscale().jpeg({ quality: 85 }).toBuffer();
    const fastGrey = (await fastThumbnailPixels(grey, THUMB_SIZE))!;
    const slowGrey = await thumbnailPixels(grey);
    expect(meanDifference(fastGrey, slowGrey)).toBeLessThan(1.5);
    let unequal = 0;
    for (let i = 0; i < fastGrey.data.length; i += 3) if (fastGrey.data[i + 1] !== fastGrey.data[i] || fastGrey.data[i + 2] !== fastGrey.data[i]) unequal++;
    expect(unequal).toBe(0);
    expect(hammingDistance(measurePixels(fastGrey).phash, measurePixels(slowGrey).phash)).toBeLessThanOrEqual(2);
    expect(measurePixels(fastGrey).colourfulness).toBe(0);
  });

  it.each([2, 3, 4, 5, 6, 7, 8])('turns a photo with EXIF orientation %i as sharp does', async (orientation) => {
    const jpeg = await turnedPhoto(orientation);
    const fast = await fastThumbnailPixels(jpeg, THUMB_SIZE);
    const slow = await thumbnailPixels(jpeg);
    expect(fast).not.toBeNull();
    expect([fast!.width, fast!.height]).toEqual(orientation >= 5 ? [192, 256] : [256, 192]);
    expect(meanDifference(fast!, slow)).toBeLessThan(1.5);
  });

  it('leaves to sharp what libjpeg-turbo alone would get wrong or cannot read', async () => {
    const photo = await photoLikeJpeg(1, 120, 90);
    const raw = sharp(photo);
    const cases: [string, Buffer][] = [
      ['PNG', await raw.clone().png().toBuffer()],
      ['WebP', await raw.clone().webp().toBuffer()],
      ['CMYK JPEG', await raw.clone().toColourspace('cmyk').jpeg().toBuffer()],
      ['JPEG with a colour profile', await raw.clone().withIccProfile('p3').jpeg().toBuffer()],
      ['truncated JPEG', photo.subarray(0, Math.floor(photo.length * 0.6))],
      ['JPEG with a corrupt scan', Buffer.concat([photo.subarray(0, photo.length - 200), Buffer.alloc(198, 0x55), photo.subarray(-2)])],
    ];
    for (const [name, bytes] of cases) expect(await fastThumbnailPixels(bytes, THUMB_SIZE), name).toBeNull();
    const side = Math.ceil(Math.sqrt(FAST_THUMBNAIL_MAX_PIXELS)) + 1;
    const big = await sharp({ create: { width: side, height: side, channels: 3, background: '#7a8' } }).jpeg().toBuffer();
    expect(await fastThumbnailPixels(big, THUMB_SIZE)).toBeNull();
  });

  it('encodes RGB thumbnails to JPEG without libvips and sharp reads them back', async () => {
    const slow = await thumbnailPixels(await photoLikeJpeg(5));
    const thumb = await encodeThumbnail(slow);
    expect(thumb.format).toBe('jpeg');
    const back = await sharp(thumb.bytes).raw().toBuffer({ resolveWithObject: true });
    expect([back.info.width, back.info.height, back.info.channels]).toEqual([256, 192, 3]);
    expect(meanDifference({ data: back.data, width: 256, height: 192, channels: 3 }, slow)).toBeLessThan(4);
  });
});

describe('import of plain JPEGs through the fast path', () => {
  let box: Sandbox;
  beforeEach(() => {
    box = sandbox();
  });
  afterEach(() => box.cleanup());

  function found(file: string): FoundFile {
    const bytes = readFileSync(file);
    return { absPath: file, relPath: path.basename(file), size: bytes.length, mtimeMs: 0 };
  }

  it('stores a turned thumbnail, the displayed size and measures', async () => {
    const file = box.at('turned.jpg');
    writeFileSync(file, await turnedPhoto(6));
    const outcome = await readImageFile(found(file), box.ctx.paths.thumbs);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.facts).toMatchObject({ width: 375, height: 500, format: 'jpeg', orientation: 6 });
    expect(outcome.facts.measures).not.toBeNull();
    const stored = await sharp(thumbPath(box.ctx.paths.thumbs, outcome.facts.hash, 'jpeg')).metadata();
    expect([stored.width, stored.height, stored.orientation]).toEqual([192, 256, undefined]);
  });

  it('gives a truncated plain JPEG the reason sharp gives', async () => {
    const photo = await photoLikeJpeg(2);
    const file = box.at('cut.jpg');
    writeFileSync(file, photo.subarray(0, Math.floor(photo.length * 0.6)));
    const outcome = await readImageFile(found(file), box.ctx.paths.thumbs);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.reason).toMatch(/^corrupt or truncated image \(.*\)$/);
  });
});
