import type { Size } from './op.js';

const u16 = (b: Uint8Array, i: number, little = false) => (little ? b[i]! | (b[i + 1]! << 8) : (b[i]! << 8) | b[i + 1]!);
const u32 = (b: Uint8Array, i: number, little: boolean) => (little ? u16(b, i, true) + u16(b, i + 2, true) * 65536 : u16(b, i) * 65536 + u16(b, i + 2));

/** The EXIF orientation in an APP1 segment's body (from "Exif\0\0"), 1 when absent, 0 when unreadable. */
function exifOrientation(b: Uint8Array, start: number, end: number): number {
  const t = start + 6;
  if (t + 8 > end) return 0;
  const little = b[t] === 0x49 && b[t + 1] === 0x49;
  if (!little && !(b[t] === 0x4d && b[t + 1] === 0x4d)) return 0;
  const ifd = t + u32(b, t + 4, little);
  if (ifd + 2 > end) return 0;
  const n = u16(b, ifd, little);
  for (let k = 0; k < n; k++) {
    const e = ifd + 2 + k * 12;
    if (e + 12 > end) return 0;
    if (u16(b, e, little) === 0x0112) return u16(b, e + 8, little);
  }
  return 1;
}

/**
 * Width and height of a JPEG as decoding gives them, read from its header without decoding: null
 * when the file is not a plain JPEG whose pixels come out as stored — not a JPEG, an EXIF
 * orientation other than 1 (decoding turns the image), CMYK, or a header it cannot read. Callers
 * then decode the whole file, so null is always safe.
 */
export function jpegSize(b: Uint8Array): Size | null {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return null;
  let i = 2;
  let size: Size | null = null;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return null;
    const m = b[i + 1]!;
    if (m === 0xff) {
      i++;
      continue;
    }
    if (m === 0x01 || (m >= 0xd0 && m <= 0xd7)) {
      i += 2;
      continue;
    }
    // Scan data starts: every marker that matters came before it.
    if (m === 0xda) return size;
    if (m === 0xd9) return null;
    const len = u16(b, i + 2);
    const end = i + 2 + len;
    if (len < 2 || end > b.length) return null;
    const exif = m === 0xe1 && len >= 8 && b[i + 4] === 0x45 && b[i + 5] === 0x78 && b[i + 6] === 0x69 && b[i + 7] === 0x66 && b[i + 8] === 0 && b[i + 9] === 0;
    if (exif && exifOrientation(b, i + 4, end) !== 1) return null;
    // Start of frame: every SOFn except DHT (c4), JPG (c8) and DAC (cc).
    if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) {
      if (len < 8) return null;
      const height = u16(b, i + 5);
      const width = u16(b, i + 7);
      const components = b[i + 9]!;
      if (size || !(width > 0 && height > 0 && (components === 1 || components === 3))) return null;
      size = { width, height };
    }
    i = end;
  }
  return null;
}
