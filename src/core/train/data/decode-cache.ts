import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { ApiError } from '../../../shared/api/errors.js';
import type { RunSample } from './samples.js';

/** Bumped when decoding changes, so old cache files are never read as new ones. */
const DECODE_VERSION = 'fill2';

/** Interleaved RGB whatever sharp returned (grey images can come back with one channel). */
function toRgb(data: Buffer, channels: number, pixels: number): Buffer {
  if (channels === 3) return data;
  const out = Buffer.alloc(pixels * 3);
  for (let i = 0; i < pixels; i++) {
    const v = data[i * channels]!;
    out[i * 3] = v;
    out[i * 3 + 1] = channels >= 3 ? data[i * channels + 1]! : v;
    out[i * 3 + 2] = channels >= 3 ? data[i * channels + 2]! : v;
  }
  return out;
}

/** The cache key of an image the library has not hashed: its path, size and modification time. */
export function fallbackKey(file: string, size: number, mtime: number): string {
  return `f${createHash('sha1').update(`${file}\0${size}\0${mtime}`).digest('hex')}`;
}

export function decodedFile(cacheDir: string, key: string, size: number): string {
  const safe = key.replace(/[^\w-]/g, '_');
  return path.join(cacheDir, `${DECODE_VERSION}-${size}`, safe.slice(0, 2), `${safe}.rgb`);
}

/**
 * The image as size × size interleaved RGB bytes: EXIF orientation applied, transparency
 * flattened on white (as the augment engine's decode does, so previews match), stretched to the square (as Keras' image_dataset_from_directory does by default). Cached as a
 * raw file keyed by content, so each image is decoded once per size across runs.
 */
export async function decodeForTraining(sample: Pick<RunSample, 'path' | 'key'>, size: number, cacheDir: string): Promise<Uint8Array> {
  const file = decodedFile(cacheDir, sample.key, size);
  const bytes = size * size * 3;
  try {
    const cached = await readFile(file);
    if (cached.length === bytes) return new Uint8Array(cached.buffer, cached.byteOffset, cached.length);
  } catch {
    // Not cached yet (or unreadable): decode below.
  }
  let data: Buffer;
  try {
    const out = await sharp(sample.path, { limitInputPixels: 100_000_000 })
      .rotate()
      .flatten({ background: '#ffffff' })
      .resize(size, size, { fit: 'fill' })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    data = toRgb(out.data, out.info.channels, size * size);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new ApiError(
      'io_error',
      `Cannot read image ${sample.path} for training: ${why}. It may have changed or moved since import; run \`smallset rescan\` on the dataset.`,
    );
  }
  await mkdir(path.dirname(file), { recursive: true });
  // Unique per write: two runs (or two copies of one image) may decode the same key at once.
  const tmp = `${file}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, file);
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}

/** Decodes many images a few at a time (sharp works on libuv's thread pool), reporting each one done. */
export async function decodeAll(
  samples: readonly RunSample[],
  size: number,
  cacheDir: string,
  onDone: (done: number, total: number) => void,
  concurrency = 4,
): Promise<Map<number, Uint8Array>> {
  const out = new Map<number, Uint8Array>();
  // Images with the same content share one decode (and one cache file).
  const byKey = new Map<string, Promise<Uint8Array>>();
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < samples.length) {
      const sample = samples[next++]!;
      if (!out.has(sample.id)) {
        let decoding = byKey.get(sample.key);
        if (!decoding) {
          decoding = decodeForTraining(sample, size, cacheDir);
          byKey.set(sample.key, decoding);
        }
        out.set(sample.id, await decoding);
      }
      onDone(++done, samples.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, samples.length) }, worker));
  return out;
}
