import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { nearCopies, save, scene } from '../core/quality/scenes.js';
import { bin, cliWorkspace } from './smallset-cli.js';

const { dir, smallset } = cliWorkspace('split');
const run = promisify(execFile);

describe('smallset split', () => {
  it('says when keeping near-duplicate groups together moves the ratios off the requested ones (text and --json)', async () => {
    // Ten different pictures, and five near copies of one more: a 50/50 split cannot keep that group whole and exact.
    for (let i = 0; i < 10; i++) save(path.join(dir, 'd', 'x', `${i}.png`), await scene(800 + i, 48));
    const picture = await scene(77, 64);
    const copies = await nearCopies(picture);
    save(path.join(dir, 'd', 'x', 'dup-0.png'), picture);
    save(path.join(dir, 'd', 'x', 'dup-1.png'), copies.resized);
    save(path.join(dir, 'd', 'x', 'dup-2.jpg'), copies.reencoded);
    save(path.join(dir, 'd', 'x', 'dup-3.png'), copies.cropped);
    save(path.join(dir, 'd', 'x', 'dup-4.png'), await sharp(picture).modulate({ brightness: 1.03 }).png().toBuffer());
    expect((await smallset('import', path.join(dir, 'd'), '--name', 'dups')).code).toBe(0);

    const r = await smallset('split', 'dups', '--train', '0.5', '--val', '0.5', '--test', '0', '--seed', '3');
    expect(r.code).toBe(0);
    type Ratios = { train: number; val: number; test: number };
    const json = r.json as { splits: Record<string, number>; requested: Ratios; achieved: Ratios; movedForDuplicates: number };
    expect(json.requested).toEqual({ train: 0.5, val: 0.5, test: 0 });
    expect(json.movedForDuplicates).toBeGreaterThan(0);
    expect((json.splits.train ?? 0) + (json.splits.val ?? 0)).toBe(15);
    expect(json.achieved.train + json.achieved.val).toBeCloseTo(1, 2);
    expect(json.achieved.train).not.toBeCloseTo(0.5, 2);
    // The five copies share a split.
    const ls = await smallset('ls', 'dups', '--limit', '100');
    const dupSplits = new Set((ls.json.images as { path: string; split: string }[]).filter((i) => path.basename(i.path).startsWith('dup-')).map((i) => i.split));
    expect(dupSplits.size).toBe(1);

    // The same request again only fills gaps: nothing moves, nothing to say.
    const again = await run(bin, ['--data', path.join(dir, 'data'), 'split', 'dups', '--train', '0.5', '--val', '0.5', '--test', '0', '--seed', '3'], { encoding: 'utf8' });
    expect(again.stdout).not.toMatch(/Near-duplicate/);

    const text = await run(bin, ['--data', path.join(dir, 'data'), 'split', 'dups', '--train', '0.5', '--val', '0.5', '--test', '0', '--seed', '4'], { encoding: 'utf8' });
    expect(text.stdout).toMatch(/split: /);
    expect(text.stdout).toMatch(/Near-duplicate groups were kept on one side: \d+ images? moved, so the ratios are [\d.]+ \/ [\d.]+ \/ 0 instead of the requested 0.5 \/ 0.5 \/ 0/);
  }, 120_000);
});
