import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeSampleDataset } from '../../../src/core/library/sample-dataset.js';
import { sandbox, type Sandbox } from './fixtures.js';

let box: Sandbox;
beforeEach(() => {
  box = sandbox('smallset-sample-');
});
afterEach(() => box.cleanup());

function listFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .sort();
}

describe('writeSampleDataset', () => {
  it('writes one folder per class with perClass JPEGs of the asked size', async () => {
    const result = await writeSampleDataset(box.at('s'), { classes: 3, perClass: 4, size: 48, seed: 1 });
    expect(result.classes).toEqual({ circles: 4, squares: 4, triangles: 4 });
    expect(result.files).toBe(12);
    const files = listFiles(box.at('s'));
    expect(files).toHaveLength(12);
    expect(files[0]).toBe(path.join('circles', 'circles_000.jpg'));
    const meta = await sharp(box.at('s', files[0]!)).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 48, height: 48 });
  });

  it('is deterministic: the same options give byte-identical files, another seed different ones', async () => {
    const opts = { classes: 4, perClass: 3, size: 40, seed: 7 };
    await writeSampleDataset(box.at('a'), opts);
    await writeSampleDataset(box.at('b'), opts);
    await writeSampleDataset(box.at('c'), { ...opts, seed: 8 });
    const files = listFiles(box.at('a'));
    expect(listFiles(box.at('b'))).toEqual(files);
    for (const f of files) expect(readFileSync(box.at('b', f)).equals(readFileSync(box.at('a', f))), f).toBe(true);
    const same = files.filter((f) => readFileSync(box.at('c', f)).equals(readFileSync(box.at('a', f))));
    expect(same).toEqual([]);
  });

  it('does not give the class away by colour: mean colours of the classes overlap', async () => {
    await writeSampleDataset(box.at('m'), { classes: 2, perClass: 12, size: 32, seed: 0 });
    const means: Record<string, number[]> = {};
    for (const f of listFiles(box.at('m'))) {
      const stats = await sharp(box.at('m', f)).stats();
      (means[f.split(path.sep)[0]!] ??= []).push(stats.channels.reduce((s, c) => s + c.mean, 0) / 3);
    }
    const [a, b] = Object.values(means) as [number[], number[]];
    // Brightness ranges of the two classes overlap, so a brightness threshold cannot separate them.
    expect(Math.min(...a)).toBeLessThan(Math.max(...b));
    expect(Math.min(...b)).toBeLessThan(Math.max(...a));
  });

  it('rejects options out of range, naming the option', async () => {
    await expect(writeSampleDataset(box.at('x'), { classes: 9 })).rejects.toThrow(/classes must be a whole number from 2 to 8/);
    await expect(writeSampleDataset(box.at('x'), { size: 8 })).rejects.toThrow(/size/);
    await expect(writeSampleDataset(box.at('x'), { perClass: 1.5 })).rejects.toThrow(/per-class/);
  });
});
