import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { ApiError } from '../../shared/api/errors.js';
import { mapPool } from './pool.js';
import { sampleDefaults } from './sample-defaults.js';
import { shapeClasses, shapeSvg, type ShapeClass } from './sample-shapes.js';

export interface SampleOptions {
  /** How many shape classes (2–8). */
  classes?: number;
  perClass?: number;
  /** Side of each square image in pixels. */
  size?: number;
  seed?: number;
}

export interface SampleResult {
  dir: string;
  classes: Record<string, number>;
  files: number;
}

export { sampleDefaults };

/** mulberry32: tiny, fast, and the same sequence on every platform. */
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

/** FNV-1a, so every (seed, class, index) gets its own independent stream. */
function streamSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function hsl(h: number, s: number, l: number): [number, number, number] {
  const a = s * Math.min(l, 1 - l);
  const channel = (n: number) => {
    const k = (n + h / 30) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [channel(0), channel(8), channel(4)];
}

const hex = (c: [number, number, number]) => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;

function checkOption(value: number, name: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ApiError('invalid_input', `${name} must be a whole number from ${min} to ${max}, got ${value}.`);
  }
  return value;
}

/**
 * One image: a noisy two-colour gradient background, a few small distractor blobs, and one shape
 * with random colour, position, size and rotation. Colours are drawn the same way for every class
 * and the shape is always light on dark or dark on light, so only its form tells the class.
 */
async function renderImage(shape: ShapeClass, size: number, random: () => number): Promise<Buffer> {
  const dark = random() < 0.5;
  const bgL = dark ? 0.15 + random() * 0.2 : 0.65 + random() * 0.2;
  const fgL = dark ? 0.65 + random() * 0.25 : 0.1 + random() * 0.25;
  const bgA = hsl(random() * 360, 0.2 + random() * 0.4, bgL);
  const bgB = hsl(random() * 360, 0.2 + random() * 0.4, bgL);
  const gradAngle = random() * Math.PI * 2;
  const gx = Math.cos(gradAngle);
  const gy = Math.sin(gradAngle);
  const noise = 6 + random() * 16;
  const pixels = Buffer.alloc(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const t = Math.min(1, Math.max(0, 0.5 + ((x / size - 0.5) * gx + (y / size - 0.5) * gy)));
      const o = (y * size + x) * 3;
      for (let c = 0; c < 3; c++) {
        const v = bgA[c]! * (1 - t) + bgB[c]! * t + (random() - 0.5) * 2 * noise;
        pixels[o + c] = Math.max(0, Math.min(255, Math.round(v)));
      }
    }
  }
  const r = size * (0.26 + random() * 0.12);
  const margin = r * 1.3;
  const params = {
    cx: margin + random() * (size - 2 * margin),
    cy: margin + random() * (size - 2 * margin),
    r,
    angle: random() * 360,
    fill: hex(hsl(random() * 360, 0.5 + random() * 0.5, fgL)),
  };
  const blobs: string[] = [];
  const blobCount = Math.floor(random() * 3);
  for (let k = 0; k < blobCount; k++) {
    const br = size * (0.015 + random() * 0.03);
    const color = hex(hsl(random() * 360, random(), 0.2 + random() * 0.6));
    blobs.push(`<circle cx="${(random() * size).toFixed(2)}" cy="${(random() * size).toFixed(2)}" r="${br.toFixed(2)}" fill="${color}"/>`);
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}">${blobs.join('')}${shapeSvg(shape, params)}</svg>`;
  return sharp(pixels, { raw: { width: size, height: size, channels: 3 } })
    .composite([{ input: Buffer.from(svg), top: 0, left: 0 }])
    .jpeg({ quality: 90 })
    .toBuffer();
}

/**
 * Writes a small generated dataset: one folder per shape class, `perClass` JPEGs in each.
 * Deterministic: the same options give byte-identical files. Learnable from form alone by a small
 * CNN at 32 px, while colour and brightness carry no class information.
 */
export async function writeSampleDataset(dir: string, options: SampleOptions = {}, signal?: AbortSignal): Promise<SampleResult> {
  const classes = checkOption(options.classes ?? sampleDefaults.classes, 'classes', 2, shapeClasses.length);
  const perClass = checkOption(options.perClass ?? sampleDefaults.perClass, 'per-class', 1, 10_000);
  const size = checkOption(options.size ?? sampleDefaults.size, 'size', 16, 1024);
  const seed = checkOption(options.seed ?? sampleDefaults.seed, 'seed', -(2 ** 31), 2 ** 31 - 1);
  const root = path.resolve(dir);
  const chosen = shapeClasses.slice(0, classes);
  const jobs = chosen.flatMap((shape) => Array.from({ length: perClass }, (_, i) => ({ shape, i })));
  for (const shape of chosen) await fs.mkdir(path.join(root, shape), { recursive: true });
  await mapPool(
    jobs,
    4,
    async ({ shape, i }) => {
      const bytes = await renderImage(shape, size, rng(streamSeed(`${seed}:${shape}:${i}`)));
      await fs.writeFile(path.join(root, shape, `${shape}_${String(i).padStart(3, '0')}.jpg`), bytes);
    },
    signal,
  );
  return { dir: root, classes: Object.fromEntries(chosen.map((c) => [c, perClass])), files: jobs.length };
}
