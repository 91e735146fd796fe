import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { renderThumbnail, thumbnailPixels } from '../../../src/core/library/thumbnails.js';
import { measureImage, measurePixels } from '../../../src/core/quality/measure-image.js';
import { hamming } from '../../../src/core/quality/perceptual-hash.js';
import { scene } from './scenes.js';

describe('measurePixels', () => {
  it('flattens transparency onto white and reads a flat colour exactly', () => {
    // Half-transparent pure red over white is (255, 127.5, 127.5).
    const data = new Uint8Array(40 * 30 * 4);
    for (let i = 0; i < data.length; i += 4) data.set([255, 0, 0, 255 * 0.5], i);
    const m = measurePixels({ data, width: 40, height: 30, channels: 4 });
    expect(m.brightness).toBeCloseTo(0.299 * 255 + (0.587 + 0.114) * 127.5, 0);
    expect(m.colourfulness).toBeCloseTo((127.5 + 0 + 127.5) / 3, 0);
    expect(m.sharpness).toBeCloseTo(0, 6);
  });

  it('RGB pixels (the one-pass fast path) measure exactly as the same pixels opaque, pixel by pixel', async () => {
    for (const [seed, width, height] of [[1, 256, 192], [2, 192, 256], [3, 256, 171], [4, 255, 17], [5, 7, 5], [6, 1, 1]] as const) {
      const px = await thumbnailPixels(await sharp(await scene(seed, 300)).resize(width, height, { fit: 'fill' }).jpeg().toBuffer());
      expect(px.channels).toBe(3);
      const rgba = new Uint8Array(px.width * px.height * 4);
      for (let i = 0, o = 0; i < px.data.length; i += 3, o += 4) rgba.set([px.data[i]!, px.data[i + 1]!, px.data[i + 2]!, 255], o);
      expect(measurePixels(px), `${width}×${height}`).toEqual(measurePixels({ ...px, data: rgba, channels: 4 }));
    }
  });

  it('grey pixels have no colour; a sharp edge is sharper than its blur at any size', async () => {
    const edge = async (side: number, blur?: number) => {
      const img = await sharp({ create: { width: side, height: side, channels: 3, background: '#202020' } })
        .composite([{ input: { create: { width: side / 2, height: side, channels: 3, background: '#e0e0e0' } }, left: 0, top: 0 }])
        .png()
        .toBuffer();
      return blur ? sharp(img).blur(blur).png().toBuffer() : img;
    };
    for (const side of [64, 256, 900]) {
      const crisp = await measureImage(await edge(side));
      const soft = await measureImage(await edge(side, side / 40));
      expect(crisp.colourfulness).toBeLessThan(0.01);
      expect(crisp.sharpness).toBeGreaterThan(4 * soft.sharpness);
    }
  });

  it('the import (pixels before encoding) and the backfill (the cached JPEG thumbnail) land within a few bits', async () => {
    for (let seed = 0; seed < 6; seed++) {
      const original = await sharp(await scene(seed, 400)).jpeg({ quality: 85 }).toBuffer();
      const atImport = measurePixels(await thumbnailPixels(original));
      expect(await measureImage(original)).toEqual(atImport);
      const fromThumb = await measureImage((await renderThumbnail(original)).bytes);
      expect(hamming(atImport.phash, fromThumb.phash)).toBeLessThanOrEqual(4);
      expect(hamming(atImport.phashCentre, fromThumb.phashCentre)).toBeLessThanOrEqual(4);
      expect(Math.abs(atImport.brightness - fromThumb.brightness)).toBeLessThan(2);
    }
  });
});
