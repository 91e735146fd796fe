import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A picture of a few random coloured shapes on a gradient: different seeds, different pictures. */
export async function scene(seed: number, side = 96): Promise<Buffer> {
  const r = random(seed);
  const colour = () => `rgb(${Math.floor(r() * 255)},${Math.floor(r() * 255)},${Math.floor(r() * 255)})`;
  const shapes: string[] = [];
  for (let k = 0; k < 6; k++) {
    const x = r() * side;
    const y = r() * side;
    const s = side * (0.15 + r() * 0.35);
    shapes.push(r() < 0.5 ? `<circle cx="${x}" cy="${y}" r="${s / 2}" fill="${colour()}"/>` : `<rect x="${x - s / 2}" y="${y - s / 2}" width="${s}" height="${s * (0.5 + r())}" fill="${colour()}"/>`);
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${side}" height="${side}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="${r()}" y2="1"><stop offset="0" stop-color="${colour()}"/><stop offset="1" stop-color="${colour()}"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>${shapes.join('')}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

export function save(file: string, bytes: Buffer): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, bytes);
}

/** The near-copies a real folder collects: resized, re-encoded as JPEG, slightly cropped. */
export async function nearCopies(original: Buffer): Promise<{ resized: Buffer; reencoded: Buffer; cropped: Buffer }> {
  const { width = 96, height = 96 } = await sharp(original).metadata();
  const m = Math.round(width * 0.04);
  return {
    resized: await sharp(original).resize(Math.round(width * 0.6)).png().toBuffer(),
    reencoded: await sharp(original).jpeg({ quality: 55 }).toBuffer(),
    cropped: await sharp(original)
      .extract({ left: m, top: m, width: width - 2 * m, height: height - 2 * m })
      .png()
      .toBuffer(),
  };
}
