import type { RawImage } from '../../../src/core/augment/op.js';

/** A deterministic photo-like image: smooth colour gradients, a few shapes, ±`texture` grain. */
export function photoLike(width: number, height: number, seed = 1, texture = 12): RawImage {
  const data = new Uint8Array(width * height * 3);
  let s = seed >>> 0 || 1;
  const rand = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
  const cx = width * (0.3 + 0.4 * rand());
  const cy = height * (0.3 + 0.4 * rand());
  const radius = Math.min(width, height) * 0.25;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const t = (rand() * 2 - 1) * texture;
      let r = (x / width) * 200 + 30 + t;
      let g = (y / height) * 180 + 40 + t;
      let b = ((x + y) / (width + height)) * 120 + 60 + t;
      if ((x - cx) ** 2 + (y - cy) ** 2 < radius ** 2) {
        r = 230 + t;
        g = 60 + t;
        b = 40 + t;
      }
      if (x > width * 0.1 && x < width * 0.3 && y > height * 0.6 && y < height * 0.9) {
        r = 30;
        g = 90 + t;
        b = 200;
      }
      data[i] = Math.max(0, Math.min(255, Math.round(r)));
      data[i + 1] = Math.max(0, Math.min(255, Math.round(g)));
      data[i + 2] = Math.max(0, Math.min(255, Math.round(b)));
    }
  }
  return { data, width, height, channels: 3 };
}

/** A flat image with one bright square marker (for tracking where geometry moves content). */
export function markerImage(width: number, height: number, mx: number, my: number, size = 4, bg = 40): RawImage {
  const data = new Uint8Array(width * height * 3).fill(bg);
  for (let y = my; y < my + size; y++) {
    for (let x = mx; x < mx + size; x++) data.fill(255, (y * width + x) * 3, (y * width + x) * 3 + 3);
  }
  return { data, width, height, channels: 3 };
}

/** Centroid of pixels brighter than `threshold` in the red channel. */
export function brightCentroid(image: RawImage, threshold = 200): { x: number; y: number; count: number } {
  let sx = 0;
  let sy = 0;
  let n = 0;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if (image.data[(y * image.width + x) * 3]! > threshold) {
        sx += x;
        sy += y;
        n++;
      }
    }
  }
  return { x: sx / n, y: sy / n, count: n };
}

export function px(image: RawImage, x: number, y: number): [number, number, number] {
  const i = (y * image.width + x) * 3;
  return [image.data[i]!, image.data[i + 1]!, image.data[i + 2]!];
}

export function channelMean(image: RawImage, c?: number): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < image.data.length; i++) {
    if (c === undefined || i % 3 === c) {
      s += image.data[i]!;
      n++;
    }
  }
  return s / n;
}

/** Mean absolute difference per value between two images of the same size. */
export function meanAbsDiff(a: RawImage, b: RawImage): number {
  if (a.width !== b.width || a.height !== b.height) throw new Error(`size ${a.width}×${a.height} vs ${b.width}×${b.height}`);
  let s = 0;
  for (let i = 0; i < a.data.length; i++) s += Math.abs(a.data[i]! - b.data[i]!);
  return s / a.data.length;
}

export function sameBytes(a: RawImage, b: RawImage): boolean {
  return a.width === b.width && a.height === b.height && Buffer.compare(Buffer.from(a.data), Buffer.from(b.data)) === 0;
}
