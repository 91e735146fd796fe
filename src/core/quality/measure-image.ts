import sharp from 'sharp';
import { PHASH_INPUT, perceptualHash } from './perceptual-hash.js';

/** What is measured once per image, from its thumbnail. */
export interface ImageMeasures {
  phash: string;
  /** Mean luma, 0–255. */
  brightness: number;
  /** Variance of the Laplacian of the luma at AUDIT_SIDE: low means blurry. */
  sharpness: number;
  /** Mean absolute difference between colour channels, 0–255: near 0 means grey. */
  colourfulness: number;
}

/** Side of the image the audit measures run on, so they compare across image sizes. */
export const AUDIT_SIDE = 128;

function laplacianVariance(luma: Float64Array, width: number, height: number): number {
  if (width < 3 || height < 3) return 0;
  let sum = 0;
  let sumSq = 0;
  let n = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const v = luma[i - width]! + luma[i + width]! + luma[i - 1]! + luma[i + 1]! - 4 * luma[i]!;
      sum += v;
      sumSq += v * v;
      n++;
    }
  }
  const mean = sum / n;
  return sumSq / n - mean * mean;
}

/** Measures an image (a thumbnail file or encoded bytes): perceptual hash and audit figures. */
export async function measureImage(input: string | Buffer): Promise<ImageMeasures> {
  const grey = await sharp(input).flatten({ background: '#ffffff' }).resize(PHASH_INPUT, PHASH_INPUT, { fit: 'fill' }).greyscale().raw().toBuffer();
  const { data, info } = await sharp(input)
    .flatten({ background: '#ffffff' })
    .resize(AUDIT_SIDE, AUDIT_SIDE, { fit: 'inside' })
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const pixels = info.width * info.height;
  const luma = new Float64Array(pixels);
  let lumaSum = 0;
  let chroma = 0;
  for (let i = 0; i < pixels; i++) {
    const o = i * info.channels;
    const r = data[o]!;
    const g = info.channels >= 3 ? data[o + 1]! : r;
    const b = info.channels >= 3 ? data[o + 2]! : r;
    const y = 0.299 * r + 0.587 * g + 0.114 * b;
    luma[i] = y;
    lumaSum += y;
    chroma += (Math.abs(r - g) + Math.abs(g - b) + Math.abs(b - r)) / 3;
  }
  return {
    phash: perceptualHash(new Uint8Array(grey.buffer, grey.byteOffset, grey.length)),
    brightness: lumaSum / pixels,
    sharpness: laplacianVariance(luma, info.width, info.height),
    colourfulness: chroma / pixels,
  };
}
