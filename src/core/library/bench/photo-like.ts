import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { mapPool } from '../pool.js';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * One photo-like JPEG for benchmarks: smooth colour fields, soft-edged objects, fine detail and
 * sensor-like noise, so it compresses and decodes like a photograph (flat colour would flatter
 * every decoder). Each seed gives different bytes.
 */
export async function photoLikeJpeg(seed: number, width = 500, height = 375, quality = 90): Promise<Buffer> {
  const random = rng(seed * 7919 + 17);
  const gw = 6;
  const gh = 5;
  const grid = Buffer.alloc(gw * gh * 3);
  for (let i = 0; i < grid.length; i++) grid[i] = Math.floor(40 + random() * 180);
  const base = await sharp(grid, { raw: { width: gw, height: gh, channels: 3 } }).resize(width, height, { kernel: 'cubic' }).raw().toBuffer();
  const shapes: string[] = [];
  const count = 6 + Math.floor(random() * 10);
  for (let k = 0; k < count; k++) {
    const color = `rgb(${Math.floor(random() * 255)},${Math.floor(random() * 255)},${Math.floor(random() * 255)})`;
    const cx = (random() * width).toFixed(1);
    const cy = (random() * height).toFixed(1);
    const rx = (10 + random() * width * 0.25).toFixed(1);
    const ry = (10 + random() * height * 0.25).toFixed(1);
    shapes.push(`<ellipse cx="${cx}" cy="${cy}" rx="${rx}" ry="${ry}" fill="${color}" opacity="${(0.4 + random() * 0.6).toFixed(2)}"/>`);
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${shapes.join('')}</svg>`;
  const composed = await sharp(base, { raw: { width, height, channels: 3 } })
    .composite([{ input: Buffer.from(svg), top: 0, left: 0 }])
    .blur(1.2)
    .removeAlpha()
    .raw()
    .toBuffer();
  // Texture and noise at pixel scale: what makes real photos expensive to encode and decode.
  const noise = 6 + random() * 10;
  for (let i = 0; i < composed.length; i++) {
    const texture = ((i * 2654435761 + seed * 97) >>> 27) - 16;
    const v = composed[i]! + texture * 0.6 + (random() - 0.5) * 2 * noise;
    composed[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  return sharp(composed, { raw: { width, height, channels: 3 } }).jpeg({ quality }).toBuffer();
}

/** Writes `count` photo-like JPEGs into `dir` (in a few class folders, as a dataset would be). */
export async function writePhotoLikeFolder(dir: string, count: number, opts: { width?: number; height?: number; classes?: number } = {}): Promise<void> {
  const classes = opts.classes ?? 4;
  for (let c = 0; c < classes; c++) await fs.mkdir(path.join(dir, `class_${c}`), { recursive: true });
  await mapPool(Array.from({ length: count }, (_, i) => i), 4, async (i) => {
    const bytes = await photoLikeJpeg(i + 1, opts.width, opts.height);
    await fs.writeFile(path.join(dir, `class_${i % classes}`, `photo_${String(i).padStart(5, '0')}.jpg`), bytes);
  });
}
