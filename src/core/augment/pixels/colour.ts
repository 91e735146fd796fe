import type { RawImage } from '../op.js';

/** ITU-R 601 luma in 16-bit fixed point (PIL's "L" conversion), weights summing to 65536. */
export const LUMA_R = 19595;
export const LUMA_G = 38470;
export const LUMA_B = 7471;

export function luma(r: number, g: number, b: number): number {
  return (r * LUMA_R + g * LUMA_G + b * LUMA_B + 32768) >> 16;
}

function image(data: Uint8Array, like: RawImage): RawImage {
  return { data, width: like.width, height: like.height, channels: 3 };
}

export function grayscale(src: RawImage): RawImage {
  const d = src.data;
  const out = new Uint8Array(d.length);
  for (let i = 0; i < d.length; i += 3) {
    const l = luma(d[i]!, d[i + 1]!, d[i + 2]!);
    out[i] = l;
    out[i + 1] = l;
    out[i + 2] = l;
  }
  return image(out, src);
}

/** Mean luma over the image (what torchvision's adjust_contrast blends towards). */
export function meanLuma(src: RawImage): number {
  const d = src.data;
  let sum = 0;
  for (let i = 0; i < d.length; i += 3) sum += d[i]! * LUMA_R + d[i + 1]! * LUMA_G + d[i + 2]! * LUMA_B;
  return sum / 65536 / (d.length / 3 || 1);
}

/** Saturation `factor` in the 10-bit fixed point `saturatePixel` takes. */
export function saturationWeight(factor: number): number {
  return Math.round(factor * 1024);
}

/** One saturated channel value (may fall outside 0–255: callers clamp). */
export function saturateValue(v: number, l: number, f: number): number {
  return (l * 1024 + 512 + f * (v - l)) >> 10;
}

/** Blend towards each pixel's own luma: factor 0 = grey, 1 = unchanged, > 1 = more saturated. */
export function saturate(src: RawImage, factor: number): RawImage {
  const d = src.data;
  const out = new Uint8Array(d.length);
  const clamped = new Uint8ClampedArray(out.buffer);
  const f = saturationWeight(factor);
  for (let i = 0; i < d.length; i += 3) {
    const r = d[i]!;
    const g = d[i + 1]!;
    const b = d[i + 2]!;
    const l = luma(r, g, b);
    clamped[i] = saturateValue(r, l, f);
    clamped[i + 1] = saturateValue(g, l, f);
    clamped[i + 2] = saturateValue(b, l, f);
  }
  return image(out, src);
}

/** A hue shift of `shift` turns as the sixths of the colour wheel `huePixel` takes (0 ≤ s6 < 6). */
export function hueSixths(shift: number): number {
  const s6 = (shift % 1) * 6;
  return s6 < 0 ? s6 + 6 : s6;
}

/** Writes pixel (r, g, b), its hue rotated by `s6` sixths of a turn, to out[i..i+2]. */
export function huePixel(out: Uint8Array, i: number, r: number, g: number, b: number, s6: number): void {
  const max = r > g ? (r > b ? r : b) : g > b ? g : b;
  const min = r < g ? (r < b ? r : b) : g < b ? g : b;
  const c = max - min;
  if (c === 0) {
    out[i] = r;
    out[i + 1] = g;
    out[i + 2] = b;
    return;
  }
  let h: number;
  if (max === r) h = (g - b) / c;
  else if (max === g) h = (b - r) / c + 2;
  else h = (r - g) / c + 4;
  h += s6;
  if (h < 0) h += 6;
  else if (h >= 6) h -= 6;
  if (h >= 6) h -= 6;
  const sector = h | 0;
  const f = h - sector;
  const rise = (min + c * f + 0.5) | 0;
  const fall = (max - c * f + 0.5) | 0;
  let R: number;
  let G: number;
  let B: number;
  switch (sector) {
    case 0: R = max; G = rise; B = min; break;
    case 1: R = fall; G = max; B = min; break;
    case 2: R = min; G = max; B = rise; break;
    case 3: R = min; G = fall; B = max; break;
    case 4: R = rise; G = min; B = max; break;
    default: R = max; G = min; B = fall; break;
  }
  out[i] = R;
  out[i + 1] = G;
  out[i + 2] = B;
}

/**
 * Rotates hue by `shift` turns in HSV (torchvision adjust_hue). Value (max) and saturation (so min)
 * stay; only which channel is max/min and the middle value change.
 */
export function shiftHue(src: RawImage, shift: number): RawImage {
  const d = src.data;
  const out = new Uint8Array(d.length);
  const s6 = hueSixths(shift);
  for (let i = 0; i < d.length; i += 3) huePixel(out, i, d[i]!, d[i + 1]!, d[i + 2]!, s6);
  return image(out, src);
}
