import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';

/** Fashion-MNIST's ten classes, in the order of the package's files 0.json … 9.json. */
export const FASHION_CLASSES = ['t-shirt', 'trouser', 'pullover', 'dress', 'coat', 'sandal', 'shirt', 'sneaker', 'bag', 'ankle-boot'] as const;

const SIDE = 28;

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

function classFile(index: number): string {
  const pkg = createRequire(import.meta.url).resolve('fashion-mnist/package.json');
  return path.join(path.dirname(pkg), 'src', 'clothes', `${index}.json`);
}

/**
 * Writes a fixed Fashion-MNIST subset as an ImageFolder tree (train|val|test/<class>/<n>.png,
 * 28×28 grayscale): the first `train` images of each class for training, the next `val` for
 * validation, the next `test` for testing. Class files are large (~15 MB of JSON), so they are
 * read one at a time.
 */
export async function writeFashionSubset(dir: string, opts: FashionSubsetOptions): Promise<{ dir: string; images: number }> {
  let images = 0;
  for (let c = 0; c < FASHION_CLASSES.length; c++) {
    opts.signal?.throwIfAborted();
    const name = FASHION_CLASSES[c]!;
    opts.onClass?.(name, c);
    const { data } = JSON.parse(readFileSync(classFile(c), 'utf8')) as { data: number[][] };
    const need = opts.train + opts.val + opts.test;
    if (data.length < need) throw new Error(`fashion-mnist class ${c} has ${data.length} images, ${need} needed`);
    const parts: [string, number, number][] = [
      ['train', 0, opts.train],
      ['val', opts.train, opts.train + opts.val],
      ['test', opts.train + opts.val, need],
    ];
    for (const [split, from, to] of parts) {
      const out = path.join(dir, split, name);
      mkdirSync(out, { recursive: true });
      for (let i = from; i < to; i++) {
        const pixels = Uint8Array.from(data[i]!);
        await sharp(pixels, { raw: { width: SIDE, height: SIDE, channels: 1 } })
          .png()
          .toFile(path.join(out, `${String(i).padStart(4, '0')}.png`));
        images++;
      }
    }
  }
  return { dir, images };
}
