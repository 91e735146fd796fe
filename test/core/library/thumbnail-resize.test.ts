import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { fitInside, orientPixels, resizeTriangle, type Pixels } from '../../../src/core/library/thumbnail-resize.js';
import { resizeOrientRgb } from '../../../src/core/library/wasm/thumbnail-kernels.js';

/** Smooth colour, a diagonal, text-like blocks and a 1-px checker patch: every direction differs and aliasing shows. */
function picture(width: number, height: number): Pixels {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const checker = x < width / 3 && y < height / 2 ? ((x + y) & 1) * 255 : -1;
      data[i] = checker >= 0 ? checker : (x * 255) / width;
      data[i + 1] = checker >= 0 ? checker : (y * 255) / height;
      data[i + 2] = x > y * 1.2 ? 200 : (x * 7 + y * 3) % 97 > 80 ? 20 : 90;
    }
  }
  return { data, width, height, channels: 3 };
}

async function sharpResize(px: Pixels, orientation = 1): Promise<Pixels> {
  const oriented = await sharp(px.data, { raw: { width: px.width, height: px.height, channels: 3 } })
    .jpeg({ quality: 100, chromaSubsampling: '4:4:4' })
    .withMetadata({ orientation })
    .toBuffer();
  // Lossless enough: the JPEG round trip is done for both sides below, so only resize and turn differ.
  const { data, info } = await sharp(oriented)
    .rotate()
    .resize(256, 256, { fit: 'inside', withoutEnlargement: true, kernel: 'linear' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 3 };
}

async function decodedAsSharpSees(px: Pixels): Promise<Pixels> {
  const jpeg = await sharp(px.data, { raw: { width: px.width, height: px.height, channels: 3 } }).jpeg({ quality: 100, chromaSubsampling: '4:4:4' }).toBuffer();
  const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 3 };
}

function meanDifference(a: Pixels, b: Pixels): number {
  expect([a.width, a.height]).toEqual([b.width, b.height]);
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += Math.abs(a.data[i]! - b.data[i]!);
  return sum / a.data.length;
}

function resize(px: Pixels, orientation: number | null = null): Pixels {
  return resizeOrientRgb(px, fitInside(px.width, px.height, 256), orientation);
}

describe('thumbnail resize', () => {
  it('fits inside 256 px as sharp does, never enlarging', () => {
    expect(fitInside(500, 375, 256)).toEqual({ width: 256, height: 192, scale: 500 / 256 });
    expect(fitInside(375, 500, 256)).toEqual({ width: 192, height: 256, scale: 500 / 256 });
    expect(fitInside(4000, 10, 256)).toMatchObject({ width: 256, height: 1 });
    expect(fitInside(200, 120, 256)).toEqual({ width: 200, height: 120, scale: 1 });
  });

  it.each([
    [500, 375],
    [375, 500],
    [333, 333],
    [1000, 140],
    [257, 190],
    [900, 700],
  ])('matches sharp’s linear-kernel downscale of a %i×%i picture', async (w, h) => {
    const source = await decodedAsSharpSees(picture(w, h));
    const ours = resize(source);
    const theirs = await sharpResize(picture(w, h));
    expect(meanDifference(ours, theirs)).toBeLessThan(0.6);
  });

  it('filters the 1-px checker to grey instead of aliasing it', async () => {
    const ours = resize(picture(500, 375));
    // The checker's middle, well inside its patch: a triangle filter over ~2 pixels averages it out.
    for (let y = 40; y < 60; y++) {
      for (let x = 20; x < 40; x++) {
        const v = ours.data[(y * ours.width + x) * 3]!;
        expect(Math.abs(v - 127.5)).toBeLessThan(8);
      }
    }
  });

  it('leaves an image that already fits as it is', () => {
    const px = picture(120, 90);
    expect(Buffer.from(resize(px).data).equals(Buffer.from(px.data))).toBe(true);
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('turns EXIF orientation %i as sharp’s rotate() does', async (orientation) => {
    const px = picture(400, 240);
    const source = await decodedAsSharpSees(px);
    const ours = resize(source, orientation);
    const theirs = await sharpResize(px, orientation);
    expect(meanDifference(ours, theirs)).toBeLessThan(0.6);
    // Every other orientation is far off, so a wrong turn cannot pass for a right one.
    for (let other = 1; other <= 8; other++) {
      if (other === orientation) continue;
      const wrong = resize(source, other);
      if (wrong.width !== theirs.width) continue;
      let sum = 0;
      for (let i = 0; i < wrong.data.length; i++) sum += Math.abs(wrong.data[i]! - theirs.data[i]!);
      expect(sum / wrong.data.length).toBeGreaterThan(10);
    }
  });

  it.each([
    [437, 311, 1],
    [437, 311, 2],
    [437, 311, 3],
    [437, 311, 4],
    [311, 437, 5],
    [311, 437, 6],
    [311, 437, 7],
    [311, 437, 8],
    [2000, 61, 1],
    [37, 4500, 6],
  ])('gives the same bytes in WebAssembly as its TypeScript twin (%i×%i, orientation %i)', (width, height, orientation) => {
    const px = picture(width, height);
    const fit = fitInside(px.width, px.height, 256);
    const twin = orientPixels(resizeTriangle(px, fit), orientation);
    const wasm = resizeOrientRgb(px, fit, orientation);
    expect([wasm.width, wasm.height]).toEqual([twin.width, twin.height]);
    expect(Buffer.from(wasm.data).equals(Buffer.from(twin.data))).toBe(true);
  });
});
