import { optionalModule } from '../optional-module.js';

/**
 * libjpeg-turbo called directly (@julusian/jpeg-turbo, prebuilt for every desktop platform): a
 * 500×375 JPEG decodes in ~1.5 ms CPU here, where a sharp call spends ~5.5 ms on the same file
 * (most of it libvips' per-call set-up), and a 256 px thumbnail encodes in ~0.5 ms.
 *
 * Only for what libjpeg-turbo alone gets right: callers check `plainJpegHeader` first (no CMYK, no
 * colour profile to convert from) and use sharp for everything else. Both calls run on libuv's
 * pool and answer null instead of throwing (a corrupt or truncated file, a warning such as extra
 * bytes, a platform without the binding): the caller then asks sharp, whose decision and wording
 * stay the ones users see. Decoding uses libjpeg-turbo's fast integer IDCT, so pixels may differ
 * from libvips' by a level or two.
 */

type JpegTurbo = typeof import('@julusian/jpeg-turbo');

const binding = optionalModule<JpegTurbo>(() => import('@julusian/jpeg-turbo'));

export interface RgbPixels {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 3;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

/**
 * Output buffers handed back after use: an import decodes ~0.5 MB of pixels per photo, and fresh
 * buffers for each made V8 run a full collection every ~17 images (~1 ms CPU per image).
 */
const spare: Buffer[] = [];
const SPARE_BUFFERS = 8;
const SPARE_MAX_BYTES = 4 << 20;
const ROUND = 1 << 18;

function takeBuffer(bytes: number): Buffer {
  const i = spare.findIndex((b) => b.length >= bytes);
  if (i >= 0) return spare.splice(i, 1)[0]!;
  return Buffer.allocUnsafeSlow(bytes <= SPARE_MAX_BYTES ? Math.ceil(bytes / ROUND) * ROUND : bytes);
}

function giveBack(buffer: Buffer): void {
  if (buffer.length <= SPARE_MAX_BYTES && spare.length < SPARE_BUFFERS) spare.push(buffer);
}

function pixelsOf(out: { data: Buffer; width: number; height: number }): RgbPixels | null {
  if (out.data.length !== out.width * out.height * 3) return null;
  return { data: new Uint8Array(out.data.buffer, out.data.byteOffset, out.data.length), width: out.width, height: out.height, channels: 3 };
}

/** RGB pixels of a JPEG as stored (no EXIF rotation); null when libjpeg-turbo refuses it or is missing. */
export async function decodeJpegRgb(bytes: Uint8Array): Promise<RgbPixels | null> {
  const turbo = await binding();
  if (!turbo) return null;
  try {
    return pixelsOf(await turbo.decompress(asBuffer(bytes), { format: turbo.FORMAT_RGB }));
  } catch {
    return null;
  }
}

/**
 * Decodes a JPEG whose header says `width` × `height` into a reused buffer and returns what `use`
 * makes of the pixels, which it must not keep; null as decodeJpegRgb.
 */
export async function withJpegRgb<T>(bytes: Uint8Array, width: number, height: number, use: (px: RgbPixels) => T): Promise<T | null> {
  const turbo = await binding();
  if (!turbo) return null;
  const buffer = takeBuffer(width * height * 3);
  try {
    let px: RgbPixels | null;
    try {
      px = pixelsOf(await turbo.decompress(asBuffer(bytes), buffer, { format: turbo.FORMAT_RGB }));
    } catch {
      return null;
    }
    return px && px.width === width && px.height === height ? use(px) : null;
  } finally {
    giveBack(buffer);
  }
}

/** Baseline 4:2:0 JPEG bytes of RGB pixels; null when libjpeg-turbo is missing or fails. */
export async function encodeJpegRgb(px: RgbPixels, quality: number): Promise<Buffer | null> {
  const turbo = await binding();
  if (!turbo) return null;
  const options = { format: turbo.FORMAT_RGB, width: px.width, height: px.height, quality, subsampling: turbo.SAMP_420 };
  const buffer = takeBuffer(turbo.bufferSize(options));
  try {
    // The binding writes into `buffer` and hands back a view of the bytes it wrote: copy them out.
    return Buffer.from(await turbo.compress(asBuffer(px.data), buffer, options));
  } catch {
    return null;
  } finally {
    giveBack(buffer);
  }
}
