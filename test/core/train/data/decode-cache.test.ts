import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeAll, decodedFile, decodeForTraining } from '../../../../src/core/train/data/decode-cache.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'smallset-decode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function image(name: string, colour: string, width = 40, height = 20): Promise<string> {
  const file = path.join(dir, name);
  await sharp({ create: { width, height, channels: 3, background: colour } }).png().toFile(file);
  return file;
}

describe('decoded training-size cache', () => {
  it('decodes once per content key and size: a second read comes from the cache, another size is its own entry', async () => {
    const cache = path.join(dir, 'cache');
    const file = await image('red.png', '#ff0000');
    const first = await decodeForTraining({ path: file, key: 'hash-red' }, 8, cache);
    expect(first).toHaveLength(8 * 8 * 3);
    expect(Array.from(first.subarray(0, 3))).toEqual([255, 0, 0]);
    expect(existsSync(decodedFile(cache, 'hash-red', 8))).toBe(true);
    // The original is gone: the same key and size still decode, from the cache.
    rmSync(file);
    expect(Array.from(await decodeForTraining({ path: file, key: 'hash-red' }, 8, cache))).toEqual(Array.from(first));
    // Another size needs the image again.
    await expect(decodeForTraining({ path: file, key: 'hash-red' }, 16, cache)).rejects.toThrow(/Cannot read image .*red\.png for training/);
    expect(decodedFile(cache, 'hash-red', 16)).not.toBe(decodedFile(cache, 'hash-red', 8));
  });

  it('shares one entry between copies of the same content, stretched to the square like Keras', async () => {
    const cache = path.join(dir, 'shared');
    const a = await image('blue.png', '#0000ff', 30, 10);
    const b = path.join(dir, 'blue-copy.png');
    copyFileSync(a, b);
    const decoded = await decodeAll(
      [
        { id: 1, path: a, key: 'hash-blue', label: 0 },
        { id: 2, path: b, key: 'hash-blue', label: 0 },
      ],
      12,
      cache,
      () => {},
    );
    expect(decoded.get(1)).toHaveLength(12 * 12 * 3);
    expect(Array.from(decoded.get(2)!)).toEqual(Array.from(decoded.get(1)!));
    expect(Array.from(decoded.get(1)!.subarray(-3))).toEqual([0, 0, 255]);
  });
});
