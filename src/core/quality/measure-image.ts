import sharp from 'sharp';
import { PHASH_INPUT, perceptualHash } from './perceptual-hash.js';

/** What is measured once per image, from its thumbnail. */
export interface ImageMeasures {
  phash: string;
  /** The hash of the middle CENTRE_SHARE of each side: a cropped copy's whole hash lands near it. */
  phashCentre: string;
  /** Mean luma, 0–255. */
  brightness: number;
  /** Variance of the Laplacian of the luma at AUDIT_SIDE: low means blurry. */
  sharpness: number;
  /** Mean absolute difference between colour channels, 0–255: near 0 means grey. */
  colourfulness: number;
}

/** Side of the image the audit measures run on, so they compare across image sizes. */
export const AUDIT_SIDE = 128;
export const CENTRE_SHARE = 0.85;

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

async function greyHash(input: string | Buffer, region?: sharp.Region): Promise<string> {
  let img = sharp(input).flatten({ background: '#ffffff' });
  // Extract before resize in one pipeline crops the source; a second pipeline keeps the order plain.
  if (region) img = sharp(await img.extract(region).png({ compressionLevel: 0 }).toBuffer());
  const grey = await img.resize(PHASH_INPUT, PHASH_INPUT, { fit: 'fill' }).greyscale().raw().toBuffer();
  return perceptualHash(new Uint8Array(grey.buffer, grey.byteOffset, grey.length));
}

/** Measures an image (a thumbnail file or encoded bytes): perceptual hashes and audit figures. */
export async function measureImage(input: string | Buffer): Promise<ImageMeasures> {
  const { width = 1, height = 1 } = await sharp(input).metadata();
  const w = Math.max(1, Math.round(width * CENTRE_SHARE));
  const h = Math.max(1, Math.round(height * CENTRE_SHARE));
  const centre = { left: Math.floor((width - w) / 2), top: Math.floor((height - h) / 2), width: w, height: h };
  const [phash, phashCentre] = await Promise.all([greyHash(input), greyHash(input, centre)]);
  const { data, info } = await sharp(input)
    .flatten({ background: '#ffffff' })
    // Never enlarged: an upscaled small image would read as blurry.
    .resize(AUDIT_SIDE, AUDIT_SIDE, { fit: 'inside', withoutEnlargement: true })
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
    phash,
    phashCentre,
    brightness: lumaSum / pixels,
    sharpness: laplacianVariance(luma, info.width, info.height),
    colourfulness: chroma / pixels,
  };
}
