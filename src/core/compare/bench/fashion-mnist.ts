import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';

/** Fashion-MNIST's ten classes, in the order of the package's files 0.json … 9.json. */
export const FASHION_CLASSES = ['t-shirt', 'trouser', 'pullover', 'dress', 'coat', 'sandal', 'shirt', 'sneaker', 'bag', 'ankle-boot'] as const;

export const FASHION_SIDE = 28;

/**
 * The 28×28 grayscale images of one class, in the package's order. Class files are large
 * (~15 MB of JSON): read one at a time. Class 0's file holds two empty entries (at 1000 and at
 * the end), which are left out.
 */
export function fashionClassImages(index: number): number[][] {
  const pkg = createRequire(import.meta.url).resolve('fashion-mnist/package.json');
  const file = path.join(path.dirname(pkg), 'src', 'clothes', `${index}.json`);
  const { data } = JSON.parse(readFileSync(file, 'utf8')) as { data: number[][] };
  return data.filter((pixels) => pixels.length === FASHION_SIDE * FASHION_SIDE);
}

/** Writes images as PNGs named by their index in the class (`first` is the index of the first). */
export async function writeFashionImages(dir: string, images: readonly number[][], first: number): Promise<number> {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < images.length; i++) {
    await sharp(Uint8Array.from(images[i]!), { raw: { width: FASHION_SIDE, height: FASHION_SIDE, channels: 1 } })
      .png()
      .toFile(path.join(dir, `${String(first + i).padStart(4, '0')}.png`));
  }
  return images.length;
}

export interface FashionSubsetOptions {
  /** Training images per class. */
  train: number;
  /** Validation images per class (fixed: the same images every time). */
  val: number;
  /** Test images per class, after the validation ones. */
  test: number;
  signal?: AbortSignal;
  onClass?: (name: string, index: number) => void;
}

/**
 * Writes a fixed Fashion-MNIST subset as an ImageFolder tree (train|val|test/<class>/<n>.png,
 * 28×28 grayscale): the first `train` images of each class for training, the next `val` for
 * validation, the next `test` for testing.
 */
export async function writeFashionSubset(dir: string, opts: FashionSubsetOptions): Promise<{ dir: string; images: number }> {
  let images = 0;
  for (let c = 0; c < FASHION_CLASSES.length; c++) {
    opts.signal?.throwIfAborted();
    const name = FASHION_CLASSES[c]!;
    opts.onClass?.(name, c);
    const data = fashionClassImages(c);
    const need = opts.train + opts.val + opts.test;
    if (data.length < need) throw new Error(`fashion-mnist class ${c} has ${data.length} images, ${need} needed`);
    const parts: [string, number, number][] = [
      ['train', 0, opts.train],
      ['val', opts.train, opts.train + opts.val],
      ['test', opts.train + opts.val, need],
    ];
    for (const [split, from, to] of parts) images += await writeFashionImages(path.join(dir, split, name), data.slice(from, to), from);
  }
  return { dir, images };
}
