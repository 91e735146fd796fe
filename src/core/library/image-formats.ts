import path from 'node:path';

/**
 * File name endings we try to read. sharp decodes JPEG, PNG, WebP, GIF (first frame), TIFF
 * (first page) and AVIF. HEIC and BMP are listed so such files show up with a clear reason
 * instead of vanishing silently. SVG is left out on purpose: it is a drawing, not a photo, and
 * rendering untrusted SVG buys risk for no training value.
 */
const imageExtensions = new Set([
  '.jpg', '.jpeg', '.jpe', '.jfif', '.png', '.webp', '.gif', '.tif', '.tiff', '.avif', '.heic', '.heif', '.bmp',
]);

export function hasImageExtension(name: string): boolean {
  return imageExtensions.has(path.extname(name).toLowerCase());
}

/** Formats whose files sharp cannot decode in this build, with what to tell the user. */
export function unsupportedFormatReason(name: string): string | null {
  const ext = path.extname(name).toLowerCase();
  if (ext === '.bmp') return 'BMP images are not supported: convert them to PNG';
  return null;
}

const mimeTypes: Record<string, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  tiff: 'image/tiff',
  avif: 'image/avif',
  heif: 'image/heif',
};

export function mimeForFormat(format: string | null): string {
  return (format && mimeTypes[format]) || 'application/octet-stream';
}

/** Pixel limit for one image; beyond this decoding can exhaust memory. */
export const MAX_PIXELS = 100_000_000;
/** Byte limit for one file; read whole into memory for hashing and decoding. */
export const MAX_FILE_BYTES = 1024 ** 3;
