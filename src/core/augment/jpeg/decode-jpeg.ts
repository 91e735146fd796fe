import type { RawImage } from '../op.js';
import { jpegCodec } from './codec-module.js';

/**
 * Largest frame decoded here (8 MP): the module's memory, which holds the planes, is kept for the
 * thread's life (~6 bytes a pixel at most), so bigger images go to the other decoders.
 */
const MAX_PIXELS = 8_000_000;

export interface Region {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/**
 * decoder.c: the RGB pixels libjpeg-turbo (and so sharp) decodes from a baseline JPEG, all of it
 * or only `region`, whose rows below are never decoded. Null for what it does not handle —
 * progressive, arithmetic or 12-bit files, unusual sampling, corrupt data — which the caller then
 * decodes another way. The caller has read the frame size from the header.
 */
export function decodeJpegRgb(bytes: Uint8Array, size: { width: number; height: number }, region?: Region): RawImage | null {
  const r = region ?? { left: 0, top: 0, width: size.width, height: size.height };
  if (size.width * size.height > MAX_PIXELS) return null;
  const codec = jpegCodec();
  const scratchBytes = codec.fn.decode_scratch_size(size.width, size.height);
  const outBytes = r.width * r.height * 3;
  try {
    const [data, scratch, out] = codec.layout([bytes.length + 16, scratchBytes, outBytes]);
    codec.bytes(data!, bytes.length).set(bytes);
    const status = codec.fn.decode(data!, bytes.length, r.left, r.top, r.width, r.height, scratch!, scratchBytes, out!);
    if (status !== 0) return null;
    return { data: codec.bytes(out!, outBytes).slice(), width: r.width, height: r.height, channels: 3 };
  } catch {
    // Memory that cannot grow, or a trap: the caller decodes the file another way.
    return null;
  }
}
