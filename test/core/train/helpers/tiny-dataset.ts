import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { Db } from '../../../../src/core/db/open-db.js';

export interface TinyDatasetOptions {
  classes?: number;
  perClass?: number;
  /** Pixel size of the written images (training resizes them anyway). */
  size?: number;
  /** 'folders' writes train/ and val/ split folders and records them; 'none' leaves every split empty. */
  splits?: 'folders' | 'none';
  seed?: number;
}

/** Deterministic noise so the files are the same on every run of the suite. */
function noise(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TINTS: [number, number, number][] = [
  [200, 60, 60],
  [60, 190, 70],
  [70, 80, 210],
  [200, 190, 60],
];

export interface TinyImage {
  relPath: string;
  file: string;
  className: string;
  split: 'train' | 'val' | null;
}

/**
 * Writes a small labeled image folder: class = dominant tint plus a class-specific bright band,
 * under heavy per-pixel noise. With splits 'folders', every fifth image of a class goes to val/.
 */
export async function writeTinyImages(root: string, opts: TinyDatasetOptions = {}): Promise<TinyImage[]> {
  const classes = opts.classes ?? 3;
  const perClass = opts.perClass ?? 20;
  const size = opts.size ?? 24;
  const rand = noise(opts.seed ?? 1);
  const out: TinyImage[] = [];
  for (let c = 0; c < classes; c++) {
    const className = `class${c}`;
    const tint = TINTS[c % TINTS.length]!;
    for (let i = 0; i < perClass; i++) {
      const split = opts.splits === 'folders' ? (i % 5 === 4 ? 'val' : 'train') : null;
      const relPath = path.join(...(split ? [split] : []), className, `img${i}.png`);
      const file = path.join(root, relPath);
      mkdirSync(path.dirname(file), { recursive: true });
      const px = Buffer.alloc(size * size * 3);
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          const band = Math.floor((y * classes) / size) === c ? 50 : 0;
          for (let ch = 0; ch < 3; ch++) {
            px[(y * size + x) * 3 + ch] = Math.max(0, Math.min(255, Math.round(tint[ch]! * 0.6 + band + (rand() - 0.5) * 160)));
          }
        }
      }
      await sharp(px, { raw: { width: size, height: size, channels: 3 } }).png().toFile(file);
      out.push({ relPath, file, className, split });
    }
  }
  return out;
}

/**
 * Writes the tiny image folder and records it in the library tables row by row (so a test can
 * choose the splits, including none at all, which an import would fill in).
 */
export async function writeTinyDataset(db: Db, root: string, name: string, opts: TinyDatasetOptions = {}): Promise<{ datasetId: number; imageIds: number[] }> {
  const images = await writeTinyImages(root, opts);
  const datasetId = Number(db.prepare('INSERT INTO datasets (name, root) VALUES (?, ?)').run(name, root).lastInsertRowid);
  const classIds = new Map<string, number>();
  const imageIds: number[] = [];
  for (const img of images) {
    let classId = classIds.get(img.className);
    if (classId === undefined) {
      classId = Number(db.prepare('INSERT INTO classes (dataset_id, name, color) VALUES (?, ?, ?)').run(datasetId, img.className, '#888888').lastInsertRowid);
      classIds.set(img.className, classId);
    }
    const bytes = readFileSync(img.file);
    const st = statSync(img.file);
    const size = opts.size ?? 24;
    const id = db
      .prepare(
        `INSERT INTO images (dataset_id, rel_path, hash, size, mtime, width, height, format, class_id, split, split_source)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'png', ?, ?, ?)`,
      )
      .run(datasetId, img.relPath, createHash('sha256').update(bytes).digest('hex'), st.size, st.mtimeMs, size, size, classId, img.split, img.split ? 'folder' : null)
      .lastInsertRowid;
    imageIds.push(Number(id));
  }
  return { datasetId, imageIds };
}
