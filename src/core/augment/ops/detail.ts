import { z } from 'zod';
import sharp from 'sharp';
import { pixelOp, type RawImage } from '../op.js';
import { int, intRange, range } from '../params.js';
import { autoKernelSize, gaussianBlur as blur, sharpen as sharpenPixels } from '../pixels/convolve.js';

export type SharpenConcrete = { factor: number };
/** σ in pixels of the image it is applied to, and the odd kernel size used. */
export type GaussianBlurConcrete = { sigma: number; kernel_size: number };
export type JpegQualityConcrete = { quality: number };

export const sharpen = pixelOp({
  id: 'sharpen',
  label: 'Sharpen',
  category: 'detail',
  description: 'Sharpness factor: 0 = softened, 1 = unchanged, 2 = twice as sharp (torchvision adjust_sharpness).',
  defaultP: 1,
  params: z.strictObject({ factor: range(0, 10, [1, 2], 'Sharpness factor') }),
  sample: (rng, p): SharpenConcrete => ({ factor: rng.uniform(p.factor[0], p.factor[1]) }),
  apply: (image, c: SharpenConcrete) => sharpenPixels(image, c.factor),
});

export const gaussianBlur = pixelOp({
  id: 'gaussian_blur',
  label: 'Gaussian blur',
  category: 'detail',
  description: 'Blur with a Gaussian of random σ (pixels); kernel size 0 picks one covering ±3σ.',
  defaultP: 1,
  params: z.strictObject({
    sigma: range(0.1, 50, [0.1, 2], 'σ (pixels)', { step: 0.1, unit: 'px' }),
    kernel_size: int(0, 255, 0, 'Kernel size (odd; 0 = from σ)', { step: 2 }).refine(
      (k) => k === 0 || k % 2 === 1,
      'the kernel size must be odd (or 0 to pick it from σ)',
    ),
  }),
  sample: (rng, p): GaussianBlurConcrete => {
    const sigma = rng.uniform(p.sigma[0], p.sigma[1]);
    return { sigma, kernel_size: p.kernel_size === 0 ? autoKernelSize(sigma) : p.kernel_size };
  },
  apply: (image, c: GaussianBlurConcrete) => blur(image, c.kernel_size, c.sigma),
});

/** Encode as JPEG at `quality` and decode again (libjpeg through sharp, 4:2:0). */
export async function jpegRoundTrip(image: RawImage, quality: number): Promise<RawImage> {
  const raw = { width: image.width, height: image.height, channels: 3 as const };
  const jpeg = await sharp(image.data, { raw }).jpeg({ quality, chromaSubsampling: '4:2:0' }).toBuffer();
  const { data, info } = await sharp(jpeg).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, channels: 3 };
}

export const jpegQuality = pixelOp({
  id: 'jpeg_quality',
  label: 'JPEG quality',
  category: 'detail',
  description: 'Re-compress as JPEG at a random quality (compression artefacts).',
  defaultP: 1,
  params: z.strictObject({ quality: intRange(1, 100, [50, 95], 'JPEG quality') }),
  sample: (rng, p): JpegQualityConcrete => ({ quality: rng.int(p.quality[0], p.quality[1]) }),
  apply: (image, c: JpegQualityConcrete) => jpegRoundTrip(image, c.quality),
});
