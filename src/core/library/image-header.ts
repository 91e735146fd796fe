import { crc32 } from 'node:zlib';

/** What the import needs from an image's header, as libvips reports it. */
export interface ImageHeader {
  format: 'jpeg' | 'png' | 'webp';
  /** As stored, before EXIF rotation. */
  width: number;
  height: number;
  /** EXIF orientation 1–8, or null when the file has none. */
  orientation: number | null;
}

/**
 * Reads the size, format and EXIF orientation of a plain JPEG, PNG or WebP straight from its
 * bytes, which costs microseconds where asking libvips costs a sharp call (~0.6 ms CPU).
 *
 * It answers only where the answer cannot differ from libvips': anything unusual (another format,
 * GIF, animated or EXIF-carrying WebP, a PNG with an eXIf chunk, a JPEG whose markers or EXIF do
 * not read cleanly, an orientation outside 1–8, a zero size) gives null and the caller asks
 * libvips. A file that reads cleanly here can still be corrupt further on; decoding it says so.
 */
export function readImageHeader(bytes: Uint8Array): ImageHeader | null {
  if (bytes.length < 16) return null;
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return readJpeg(bytes);
  if (startsWith(bytes, 0, PNG_SIGNATURE)) return readPng(bytes);
  if (startsWith(bytes, 0, RIFF) && startsWith(bytes, 8, WEBP)) return readWebp(bytes);
  return null;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const RIFF = [0x52, 0x49, 0x46, 0x46];
const WEBP = [0x57, 0x45, 0x42, 0x50];
const EXIF_ID = [0x45, 0x78, 0x69, 0x66, 0, 0];
/** "ICC_PROFILE\0", the APP2 identifier of an embedded colour profile. */
const ADOBE_ID = [0x41, 0x64, 0x6f, 0x62, 0x65];
const ICC_ID = [0x49, 0x43, 0x43, 0x5f, 0x50, 0x52, 0x4f, 0x46, 0x49, 0x4c, 0x45, 0];

function startsWith(bytes: Uint8Array, at: number, prefix: readonly number[]): boolean {
  if (at + prefix.length > bytes.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[at + i] !== prefix[i]) return false;
  return true;
}

const u16be = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
const u32be = (b: Uint8Array, at: number) => ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
const u16le = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const u24le = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16);
const u32le = (b: Uint8Array, at: number) => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;

/**
 * JPEG: marker segments from SOI up to the first SOS, each whole inside the file; exactly one
 * frame header, baseline, extended or progressive Huffman with 8-bit samples and 1, 3 or 4
 * components; EXIF from the one APP1 segment that carries it.
 */
function readJpeg(b: Uint8Array): ImageHeader | null {
  const frame = readJpegFrame(b);
  return frame && { format: 'jpeg', width: frame.width, height: frame.height, orientation: frame.orientation };
}

/** A JPEG's frame header and EXIF orientation, read as `readImageHeader` does (null where it gives null). */
interface JpegFrame {
  width: number;
  height: number;
  /** 1 grey, 3 YCbCr or RGB, 4 CMYK/YCCK. */
  components: number;
  orientation: number | null;
  /** An APP2 ICC_PROFILE segment is present (libvips converts such pixels to sRGB). */
  icc: boolean;
  /** An APP14 "Adobe" segment is present (its colour transform flag says how libjpeg reads the components). */
  adobe: boolean;
}

function readJpegFrame(b: Uint8Array): JpegFrame | null {
  if (b.length < 16 || b[0] !== 0xff || b[1] !== 0xd8) return null;
  let at = 2;
  let frame: { width: number; height: number; components: number } | null = null;
  let exif: Uint8Array | null = null;
  let exifSegments = 0;
  let icc = false;
  let adobe = false;
  for (;;) {
    if (at + 4 > b.length || b[at] !== 0xff) return null;
    while (b[at] === 0xff && at < b.length) at++; // fill bytes before the marker code
    const marker = b[at++];
    if (marker === undefined || at + 2 > b.length) return null;
    // Markers without a length (TEM, RSTn, SOI, EOI) do not belong before the scan.
    if (marker === 0x00 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd9)) return null;
    const length = u16be(b, at);
    if (length < 2 || at + length > b.length) return null;
    const body = at + 2;
    const end = at + length;
    if (marker === 0xda) {
      if (!frame) return null;
      const orientation = exif ? exifOrientation(exif) : null;
      return orientation === undefined ? null : { ...frame, orientation, icc, adobe };
    }
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (frame || (marker !== 0xc0 && marker !== 0xc1 && marker !== 0xc2)) return null;
      const components = b[body + 5];
      if (b[body] !== 8 || (components !== 1 && components !== 3 && components !== 4) || length !== 8 + 3 * components) return null;
      frame = { height: u16be(b, body + 1), width: u16be(b, body + 3), components };
      if (frame.width === 0 || frame.height === 0) return null;
    } else if (marker === 0xe1 && length - 2 > 4 && startsWith(b, body, EXIF_ID.slice(0, 4))) {
      // libvips takes any APP1 starting "Exif" as the EXIF block; only a clean, single one is read here.
      if (++exifSegments > 1 || !startsWith(b, body, EXIF_ID)) return null;
      exif = b.subarray(body + EXIF_ID.length, end);
    } else if (marker === 0xe2 && startsWith(b, body, ICC_ID)) {
      icc = true;
    } else if (marker === 0xee && startsWith(b, body, ADOBE_ID)) {
      adobe = true;
    }
    at = end;
  }
}

/**
 * Width and height of a JPEG as decoding gives them, without decoding: null unless it is a plain JPEG
 * whose pixels come out as stored (not EXIF-rotated, not CMYK) and whose header reads cleanly.
 * Callers then decode the whole file, so null is always safe.
 */
export function jpegDecodedSize(b: Uint8Array): { width: number; height: number } | null {
  const frame = readJpegFrame(b);
  if (!frame || frame.components === 4 || (frame.orientation ?? 1) !== 1) return null;
  return { width: frame.width, height: frame.height };
}

/**
 * The stored size and EXIF orientation of a JPEG whose pixels libjpeg-turbo alone decodes to what
 * libvips gives (before rotation): a plain grey or YCbCr/RGB JPEG without an embedded colour profile,
 * whose header reads cleanly; `adobe` says whether it carries an Adobe segment (libjpeg reads its
 * colour transform flag; other decoders may not). Null otherwise (CMYK, an ICC profile libvips
 * would convert from, an unusual header): the caller then decodes with libvips.
 */
export function plainJpegHeader(b: Uint8Array): { width: number; height: number; orientation: number | null; adobe: boolean } | null {
  const frame = readJpegFrame(b);
  if (!frame || frame.components === 4 || frame.icc) return null;
  return { width: frame.width, height: frame.height, orientation: frame.orientation, adobe: frame.adobe };
}

/**
 * The Orientation entry of IFD0 in a TIFF-structured EXIF block, as libexif reads it: null when
 * there is none, undefined when the block does not read cleanly (the caller then asks libvips).
 */
function exifOrientation(tiff: Uint8Array): number | null | undefined {
  if (tiff.length < 8) return undefined;
  const little = tiff[0] === 0x49 && tiff[1] === 0x49;
  if (!little && !(tiff[0] === 0x4d && tiff[1] === 0x4d)) return undefined;
  const u16 = little ? u16le : u16be;
  const u32 = little ? u32le : u32be;
  if (u16(tiff, 2) !== 42) return undefined;
  const ifd = u32(tiff, 4);
  if (ifd < 8 || ifd + 2 > tiff.length) return undefined;
  const count = u16(tiff, ifd);
  if (ifd + 2 + count * 12 > tiff.length) return undefined;
  let orientation: number | null = null;
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (u16(tiff, entry) !== 0x0112) continue;
    const value = u16(tiff, entry + 8);
    // One SHORT in 1–8; anything else (a repeat, another type, a value libvips would clip) is left to libvips.
    if (orientation !== null || u16(tiff, entry + 2) !== 3 || u32(tiff, entry + 4) !== 1 || value < 1 || value > 8) return undefined;
    orientation = value;
  }
  return orientation;
}

/**
 * PNG: a valid IHDR first, then whole chunks with correct checksums up to the first IDAT, none of
 * them eXIf (orientation). libvips' header read fails on a bad checksum (its decode, with
 * failOn 'truncated', would not), so a bad one is left to it.
 */
function readPng(b: Uint8Array): ImageHeader | null {
  if (u32be(b, 8) !== 13 || !startsWith(b, 12, [0x49, 0x48, 0x44, 0x52]) || b.length < 33) return null;
  if (crc32(b.subarray(12, 29)) !== u32be(b, 29)) return null;
  const width = u32be(b, 16);
  const height = u32be(b, 20);
  const depth = b[24]!;
  const colour = b[25]!;
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) return null;
  if (!validPngDepth(colour, depth) || b[26] !== 0 || b[27] !== 0 || b[28]! > 1) return null;
  for (let at = 33; at + 12 <= b.length; ) {
    const length = u32be(b, at);
    const type = String.fromCharCode(b[at + 4]!, b[at + 5]!, b[at + 6]!, b[at + 7]!);
    if (length > 0x7fffffff || at + 12 + length > b.length) return null;
    if (type === 'IDAT') return { format: 'png', width, height, orientation: null };
    if (type === 'eXIf' || type === 'IHDR' || type === 'IEND') return null;
    if (crc32(b.subarray(at + 4, at + 8 + length)) !== u32be(b, at + 8 + length)) return null;
    at += 12 + length;
  }
  return null;
}

function validPngDepth(colour: number, depth: number): boolean {
  switch (colour) {
    case 0:
      return [1, 2, 4, 8, 16].includes(depth);
    case 3:
      return [1, 2, 4, 8].includes(depth);
    case 2:
    case 4:
    case 6:
      return depth === 8 || depth === 16;
    default:
      return false;
  }
}

/** WebP: a simple lossy (VP8) or lossless (VP8L) file, or an extended one without animation or EXIF. */
function readWebp(b: Uint8Array): ImageHeader | null {
  const riffEnd = 8 + u32le(b, 4);
  if (riffEnd > b.length || b.length < 30) return null;
  const chunk = String.fromCharCode(b[12]!, b[13]!, b[14]!, b[15]!);
  const size = u32le(b, 16);
  if (20 + size > riffEnd) return null;
  let width: number;
  let height: number;
  if (chunk === 'VP8 ') {
    // Frame tag: a key frame (bit 0 clear), profile 0–3, shown, with a first partition.
    const tag = u24le(b, 20);
    if (size < 10 || b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a || (tag & 1) !== 0 || ((tag >> 1) & 7) > 3 || ((tag >> 4) & 1) !== 1 || tag >> 5 === 0) return null;
    width = u16le(b, 26) & 0x3fff;
    height = u16le(b, 28) & 0x3fff;
  } else if (chunk === 'VP8L') {
    if (size < 5 || b[20] !== 0x2f || b[24]! >> 5 !== 0) return null;
    const bits = u32le(b, 21);
    width = (bits & 0x3fff) + 1;
    height = ((bits >>> 14) & 0x3fff) + 1;
  } else if (chunk === 'VP8X') {
    // Flags: ICC 0x20, alpha 0x10, EXIF 0x08, XMP 0x04, animation 0x02.
    if (size < 10 || (b[20]! & (0x08 | 0x02)) !== 0 || (b[20]! & 0xc1) !== 0) return null;
    width = u24le(b, 24) + 1;
    height = u24le(b, 27) + 1;
  } else {
    return null;
  }
  if (width === 0 || height === 0) return null;
  return { format: 'webp', width, height, orientation: null };
}
