import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { applyOps } from '../../../src/core/augment/apply.js';
import { decodeImage } from '../../../src/core/augment/image-io.js';
import { jpegDecodedSize } from '../../../src/core/library/image-header.js';
import { parsePipeline, type PipelineJson } from '../../../src/core/augment/pipeline.js';
import { sampleRng } from '../../../src/core/augment/rng.js';
import { sampleOps } from '../../../src/core/augment/sample.js';
import { decodeSource, type RenderSettings } from '../../../src/core/export/render-source.js';
import { photoLike } from '../augment/helpers.js';

const pipeline: PipelineJson = {
  version: 1,
  ops: [
    { op: 'hflip', p: 0.5 },
    { op: 'rotate', degrees: [-30, 30], fill: 'constant' },
    { op: 'random_resized_crop', width: 40, height: 32 },
    { op: 'brightness', factor: [0.8, 1.2] },
    { op: 'gaussian_blur', sigma: [0.1, 2], kernel_size: 5 },
  ],
};
const settings: RenderSettings = { pipeline, seed: 4, maxSide: 640, size: null, fit: 'cover', format: 'jpeg', quality: 90, root: '' };

async function jpeg(seed: number, width: number, height: number, orientation?: number): Promise<Buffer> {
  const img = photoLike(width, height, seed, 30);
  const pipe = sharp(img.data, { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 });
  return orientation ? pipe.withMetadata({ orientation }).toBuffer() : pipe.toBuffer();
}

describe('decoding only the part of a JPEG the copies read', () => {
  it('reads the size from the header, and gives up where decoding would turn or convert the image', async () => {
    expect(jpegDecodedSize(await jpeg(1, 50, 30))).toEqual({ width: 50, height: 30 });
    expect(jpegDecodedSize(await jpeg(1, 50, 30, 1))).toEqual({ width: 50, height: 30 });
    expect(jpegDecodedSize(await jpeg(1, 50, 30, 6))).toBeNull();
    const png = await sharp(photoLike(20, 10).data, { raw: { width: 20, height: 10, channels: 3 } }).png().toBuffer();
    expect(jpegDecodedSize(png)).toBeNull();
    const cmyk = await sharp(photoLike(20, 10).data, { raw: { width: 20, height: 10, channels: 3 } }).toColourspace('cmyk').jpeg().toBuffer();
    expect(jpegDecodedSize(cmyk)).toBeNull();
    expect(jpegDecodedSize((await jpeg(1, 50, 30)).subarray(0, 40))).toBeNull();
  });

  it('renders every copy with the same bytes as from the whole image', async () => {
    const parsed = parsePipeline(pipeline);
    let windowed = 0;
    for (let i = 0; i < 12; i++) {
      const bytes = await jpeg(i + 1, 96 + (i % 4) * 17, 72 + (i % 3) * 13, i === 11 ? 6 : undefined);
      const outputs = [0, 1, 2].slice(0, 1 + (i % 3)).map((copy) => ({ file: '', copy }));
      const source = await decodeSource(bytes, `image ${i}`, settings, { imageId: i, outputs });
      const whole = await decodeImage(bytes);
      expect(source.working).toEqual({ width: whole.width, height: whole.height });
      if (source.window) {
        windowed++;
        expect(source.image.width * source.image.height).toBeLessThan(whole.width * whole.height);
      }
      if (i === 11) expect(source.window).toBeUndefined();
      for (const [k, { copy }] of outputs.entries()) {
        const ops = sampleOps(parsed, sampleRng(settings.seed, i, copy), whole);
        expect(source.ops[k]).toEqual(ops);
        const fromPart = await applyOps(source.image, ops, source.window ? { window: source.window } : {});
        const fromWhole = await applyOps(whole, ops);
        expect(Buffer.from(fromPart.data).equals(Buffer.from(fromWhole.data)), `image ${i} copy ${copy}`).toBe(true);
      }
    }
    expect(windowed).toBeGreaterThanOrEqual(8);
  });
});
