import { isMainThread } from 'node:worker_threads';
import { plainJpegHeader } from '../library/image-header.js';
import type { RawImage } from './op.js';
import { optionalModule } from '../optional-module.js';
import { decodeJpegRgb, type Region } from './jpeg/decode-jpeg.js';

/**
 * Plain JPEGs decoded without libvips' per-call set-up (~6 ms CPU for a 640×480 photo here).
 * Baseline files go to decoder.c (WebAssembly), which gives libjpeg-turbo's pixels exactly — the
 * ones sharp decodes — and decodes a region's rows only. What it refuses (progressive files above
 * all) goes to @napi-rs/image (a Rust decoder with an accurate integer IDCT, prebuilt N-API
 * binaries), whose pixels differ from libvips' by a mean of ~0.1–0.3 levels (max 4, in the chroma
 * upsampling of 4:2:0 files); the same file always gives the same pixels.
 *
 * Only files these decoders are known to get right are taken (`plainJpeg`): an 8-bit grey or YCbCr
 * JPEG without EXIF rotation, colour profile or Adobe marker, ending with its end-of-image marker
 * (the Rust decoder fills a truncated file with grey instead of failing). Everything else, and
 * anything both decoders refuse, is answered null and left to sharp, whose decision and wording
 * users see.
 */

type NapiImage = typeof import('@napi-rs/image');

const napi = optionalModule<NapiImage>(() => import('@napi-rs/image'));

export type { Region };

/** Size of a JPEG the fast path decodes as it is stored, or null when sharp must decode it. */
export function plainJpeg(bytes: Uint8Array): { width: number; height: number } | null {
  const n = bytes.length;
  if (n < 4 || bytes[n - 2] !== 0xff || bytes[n - 1] !== 0xd9) return null;
  const header = plainJpegHeader(bytes);
  if (!header || (header.orientation ?? 1) !== 1 || header.adobe) return null;
  return { width: header.width, height: header.height };
}

/**
 * RGB pixels of a plain JPEG (all of it or `region`), or null when it is not one, the region is not
 * inside it, or the decoder fails. Render threads decode on their own thread (they have nothing
 * else to run); the main thread hands the work to libuv's pool.
 */
export async function decodePlainJpeg(bytes: Uint8Array, region?: Region): Promise<RawImage | null> {
  const size = plainJpeg(bytes);
  if (!size) return null;
  const r = region ?? { left: 0, top: 0, width: size.width, height: size.height };
  if (r.left < 0 || r.top < 0 || r.width < 1 || r.height < 1 || r.left + r.width > size.width || r.top + r.height > size.height) return null;
  // Every thread makes the same choice of decoder, so an export's bytes do not depend on which
  // thread rendered an image (the WebAssembly one runs on the calling thread: ~7 ms per megapixel).
  const exact = decodeJpegRgb(bytes, size, r);
  if (exact) return exact;
  const lib = await napi();
  if (!lib) return null;
  let px: Buffer;
  try {
    const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    const t = new lib.Transformer(buffer);
    px = isMainThread ? await t.rawPixels() : t.rawPixelsSync();
  } catch {
    return null;
  }
  const pixels = size.width * size.height;
  const channels = px.length / pixels;
  if (channels !== 1 && channels !== 3) return null;
  if (channels === 3 && !region) return { data: new Uint8Array(px.buffer, px.byteOffset, px.length), width: size.width, height: size.height, channels: 3 };
  const out = new Uint8Array(r.width * r.height * 3);
  for (let y = 0; y < r.height; y++) {
    const from = ((r.top + y) * size.width + r.left) * channels;
    if (channels === 3) {
      out.set(px.subarray(from, from + r.width * 3), y * r.width * 3);
      continue;
    }
    for (let x = 0, o = y * r.width * 3; x < r.width; x++, o += 3) {
      const v = px[from + x]!;
      out[o] = v;
      out[o + 1] = v;
      out[o + 2] = v;
    }
  }
  return { data: out, width: r.width, height: r.height, channels: 3 };
}
