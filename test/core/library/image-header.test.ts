import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readImageHeader } from '../../../src/core/library/image-header.js';
import { readImageFile } from '../../../src/core/library/read-image.js';

/** A small picture with detail, so every format stores real image data. */
function picture(width = 40, height = 30): sharp.Sharp {
  const data = Buffer.alloc(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = (i * 7919 + (i >> 5) * 31) % 251;
  return sharp(data, { raw: { width, height, channels: 3 } });
}

/** libvips' reading of a header, in readImageHeader's terms. */
async function libvips(bytes: Buffer) {
  const m = await sharp(bytes).metadata();
  return { format: m.format, width: m.width, height: m.height, orientation: m.orientation ?? null };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'smallset-header-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readImageHeader', () => {
  it('reads plain JPEG, PNG and WebP files exactly as libvips does, EXIF orientation included', async () => {
    const files: [string, Buffer][] = [
      ['baseline', await picture().jpeg().toBuffer()],
      ['progressive', await picture(33, 17).jpeg({ progressive: true }).toBuffer()],
      ['grey', await picture().greyscale().jpeg().toBuffer()],
      ['CMYK', await picture().toColourspace('cmyk').jpeg().toBuffer()],
      ['EXIF without orientation', await picture().withExif({ IFD0: { Copyright: 'me' } }).jpeg().toBuffer()],
      ['1 × 300', await picture(1, 300).jpeg().toBuffer()],
      ['PNG', await picture().png().toBuffer()],
      ['16-bit PNG', await picture().toColourspace('rgb16').png().toBuffer()],
      ['palette PNG', await picture().png({ palette: true }).toBuffer()],
      ['interlaced PNG with alpha', await picture().ensureAlpha(0.5).png({ progressive: true }).toBuffer()],
      ['lossy WebP', await picture(41, 29).webp().toBuffer()],
      ['lossless WebP', await picture(41, 29).webp({ lossless: true }).toBuffer()],
      ['WebP with alpha', await picture(41, 29).ensureAlpha(0.5).webp().toBuffer()],
      ['WebP with an ICC profile', await picture(41, 29).withIccProfile('p3').webp().toBuffer()],
    ];
    for (let o = 1; o <= 8; o++) files.push([`JPEG orientation ${o}`, await picture().withMetadata({ orientation: o }).jpeg().toBuffer()]);
    for (const [what, bytes] of files) {
      const header = readImageHeader(bytes);
      expect(header, what).not.toBeNull();
      expect(header, what).toEqual(await libvips(bytes));
    }
  });

  it('leaves to libvips what it cannot be sure of: other formats, EXIF outside JPEG, animation, odd EXIF', async () => {
    const exifOrientation = await picture().withMetadata({ orientation: 6 }).jpeg().toBuffer();
    const badOrientation = Buffer.from(exifOrientation);
    // Orientation 9: libvips reads it as 1, a rule that is not ours to copy.
    const little = badOrientation.indexOf(Buffer.from([0x12, 0x01, 0x03, 0x00]));
    const at = little > 0 ? little : badOrientation.indexOf(Buffer.from([0x01, 0x12, 0x00, 0x03]));
    expect(at).toBeGreaterThan(0);
    badOrientation[little > 0 ? at + 8 : at + 9] = 9;
    await expect(libvips(badOrientation)).resolves.toMatchObject({ orientation: 1 });
    const unsure: [string, Buffer][] = [
      ['GIF', await picture().gif().toBuffer()],
      ['TIFF', await picture().tiff().toBuffer()],
      ['PNG with orientation (eXIf)', await picture().withMetadata({ orientation: 3 }).png().toBuffer()],
      ['WebP with orientation (EXIF)', await picture().withMetadata({ orientation: 3 }).webp().toBuffer()],
      ['animated WebP', await sharp([await picture().png().toBuffer(), await picture().negate().png().toBuffer()], { join: { animated: true } }).webp().toBuffer()],
      ['JPEG orientation 9', badOrientation],
      ['text', Buffer.from('my shopping list, not a picture at all')],
    ];
    for (const [what, bytes] of unsure) expect(readImageHeader(bytes), what).toBeNull();
    const png = await picture().png({ compressionLevel: 0 }).withMetadata({ density: 300 }).toBuffer();
    // A damaged checksum before the image data fails libvips' header read: also left to it.
    const chunk = png.indexOf('pHYs') - 4;
    expect(chunk).toBeGreaterThan(0);
    png[chunk + 8] = png[chunk + 8]! ^ 1;
    expect(readImageHeader(png)).toBeNull();
    expect(crc32(png.subarray(chunk + 4, chunk + 17))).not.toBe(png.readUInt32BE(chunk + 17));
  });

  it('a JPEG whose header reads cleanly here but not in libvips gets the header reason, as when libvips read it first', async () => {
    const jpeg = await picture().jpeg().toBuffer();
    const dht = jpeg.indexOf(Buffer.from([0xff, 0xc4]));
    expect(dht).toBeGreaterThan(0);
    const bogus = Buffer.from(jpeg);
    // The first Huffman table claims 255 codes of length 1: libjpeg calls it bogus while reading the header.
    bogus[dht + 5] = 0xff;
    expect(readImageHeader(bogus)).not.toBeNull();
    await expect(sharp(bogus).metadata()).rejects.toThrow();
    const file = path.join(dir, 'bogus-huffman.jpg');
    writeFileSync(file, bogus);
    const out = await readImageFile({ relPath: 'bogus-huffman.jpg', absPath: file, size: bogus.length, mtimeMs: 0 }, path.join(dir, 'thumbs'));
    expect(out.ok).toBe(false);
    expect(out.ok ? '' : out.reason).toMatch(/^corrupt image header \(/);
  });
});
