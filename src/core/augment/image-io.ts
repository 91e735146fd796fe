import { promises as fs } from 'node:fs';
import sharp from 'sharp';
import { ApiError } from '../../shared/api/errors.js';
import { encodeJpeg } from './jpeg/encode-jpeg.js';
import type { RawImage } from './op.js';
import { decodePlainJpeg, plainJpeg } from './plain-jpeg-decode.js';

export type EncodeFormat = 'jpeg' | 'png' | 'webp';

function toRaw(data: Buffer, info: sharp.OutputInfo): RawImage {
  const n = info.width * info.height;
  if (info.channels === 3) return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, channels: 3 };
  const out = new Uint8Array(n * 3);
  const c = info.channels;
  for (let i = 0; i < n; i++) {
    const v = data[i * c]!;
    out[i * 3] = v;
    out[i * 3 + 1] = c >= 3 ? data[i * c + 1]! : v;
    out[i * 3 + 2] = c >= 3 ? data[i * c + 2]! : v;
  }
  return { data: out, width: info.width, height: info.height, channels: 3 };
}

export interface DecodeOptions {
  /** Longest side after decoding; JPEGs shrink while decoding (libjpeg DCT scaling), so this is fast. */
  readonly maxSide?: number;
  /** Name used in error messages. */
  readonly name?: string;
  /**
   * Only this rectangle of the image (as decoded, before any shrink); libjpeg stops after its last
   * row, and the pixels are the same as in the whole decode.
   */
  readonly region?: { readonly left: number; readonly top: number; readonly width: number; readonly height: number };
}

/** Largest image decoded (sharp's limitInputPixels), so a forged header cannot ask for gigabytes. */
const PIXEL_LIMIT = 1 << 28;
const JPEG_NAME = /\.(jpe?g|jpe|jfif)$/i;

/**
 * The pixels of a plain JPEG that needs no shrinking, from the direct decoder (see
 * plain-jpeg-decode.ts); null for every other input, which sharp then decodes.
 */
async function decodeDirect(input: string | Buffer | Uint8Array, options: DecodeOptions): Promise<{ image: RawImage | null; bytes: Buffer | Uint8Array | null }> {
  // Other files stay paths, which libvips reads as it needs them.
  if (typeof input === 'string' && !JPEG_NAME.test(input)) return { image: null, bytes: null };
  let bytes: Buffer | Uint8Array;
  try {
    bytes = typeof input === 'string' ? await fs.readFile(input) : input;
  } catch {
    return { image: null, bytes: null };
  }
  const size = plainJpeg(bytes);
  if (!size || size.width * size.height > PIXEL_LIMIT || (options.maxSide && Math.max(size.width, size.height) > options.maxSide)) return { image: null, bytes };
  return { image: await decodePlainJpeg(bytes, options.region), bytes };
}

/**
 * Decodes a file or encoded buffer to RGB pixels: EXIF orientation applied, transparency flattened
 * on white, converted to sRGB, optionally shrunk to fit `maxSide`. Plain JPEGs that need no
 * shrinking skip libvips (see plain-jpeg-decode.ts); their pixels are within a few levels of it.
 */
export async function decodeImage(input: string | Buffer | Uint8Array, options: DecodeOptions = {}): Promise<RawImage> {
  const name = options.name ?? (typeof input === 'string' ? input : 'image');
  const direct = await decodeDirect(input, options);
  if (direct.image) return direct.image;
  // sharp reads what was already read (the file as it was then), else the path, for its own error.
  if (direct.bytes) input = direct.bytes;
  try {
    let pipe = sharp(input, { failOn: 'error', limitInputPixels: PIXEL_LIMIT })
      .rotate()
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb');
    if (options.region) pipe = pipe.extract(options.region);
    if (options.maxSide) {
      pipe = pipe.resize({ width: options.maxSide, height: options.maxSide, fit: 'inside', withoutEnlargement: true });
    }
    const { data, info } = await pipe.raw().toBuffer({ resolveWithObject: true });
    return toRaw(data, info);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    if (/no such file|ENOENT|missing/i.test(why)) throw new ApiError('not_found', `Cannot read ${name}: the file is missing.`);
    throw new ApiError('io_error', `Cannot decode ${name}: ${why}. Is it an image file (JPEG, PNG, WebP, GIF, TIFF, AVIF)?`);
  }
}

export interface EncodeOptions {
  readonly format?: EncodeFormat;
  /** JPEG / WebP quality, 1–100 (default 90). */
  readonly quality?: number;
}

/**
 * Largest JPEG encoded by encoder.c (1.5 MP): its module's memory is kept for the thread's life, and
 * above this sharp's per-call set-up no longer matters. Both write the same bytes.
 */
const WASM_JPEG_PIXELS = 1_500_000;

/** Encodes RGB pixels; JPEGs by encoder.c, which writes the bytes sharp would (4:2:0, optimised tables). */
export async function encodeImage(image: RawImage, options: EncodeOptions = {}): Promise<Buffer> {
  const quality = options.quality ?? 90;
  const format = options.format ?? 'jpeg';
  if (format === 'jpeg' && image.width * image.height <= WASM_JPEG_PIXELS) return encodeJpeg(image, quality);
  const pipe = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } });
  switch (format) {
    case 'png':
      return pipe.png({ compressionLevel: 6 }).toBuffer();
    case 'webp':
      return pipe.webp({ quality }).toBuffer();
    default:
      return pipe.jpeg({ quality }).toBuffer();
  }
}

export function mimeType(format: EncodeFormat): string {
  return format === 'jpeg' ? 'image/jpeg' : `image/${format}`;
}

export function dataUrl(bytes: Buffer, format: EncodeFormat): string {
  return `data:${mimeType(format)};base64,${bytes.toString('base64')}`;
}

/** Resizes pixels with sharp (Lanczos, antialiased) — for thumbnails and export sizes, not for ops. */
export async function resizeImage(image: RawImage, width: number, height: number): Promise<RawImage> {
  const { data, info } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize({ width, height, fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return toRaw(data, info);
}

/**
 * Lays images out in a grid (`columns` wide), each centred in a cell as big as the largest,
 * separated by `gap` pixels of `background`.
 */
export function tileImages(images: readonly RawImage[], columns: number, gap = 4, background: readonly [number, number, number] = [32, 32, 32]): RawImage {
  const cols = Math.max(1, Math.min(columns, images.length));
  const rows = Math.max(1, Math.ceil(images.length / cols));
  const cellW = Math.max(1, ...images.map((i) => i.width));
  const cellH = Math.max(1, ...images.map((i) => i.height));
  const W = cols * cellW + (cols + 1) * gap;
  const H = rows * cellH + (rows + 1) * gap;
  const out = new Uint8Array(W * H * 3);
  for (let i = 0; i < out.length; i += 3) {
    out[i] = background[0];
    out[i + 1] = background[1];
    out[i + 2] = background[2];
  }
  images.forEach((img, k) => {
    const cx = gap + (k % cols) * (cellW + gap) + ((cellW - img.width) >> 1);
    const cy = gap + Math.floor(k / cols) * (cellH + gap) + ((cellH - img.height) >> 1);
    for (let y = 0; y < img.height; y++) {
      out.set(img.data.subarray(y * img.width * 3, (y + 1) * img.width * 3), ((cy + y) * W + cx) * 3);
    }
  });
  return { data: out, width: W, height: H, channels: 3 };
}
