import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { importFolder } from '../../../src/core/library/import-folder.js';
import { findLabelIssues } from '../../../src/core/quality/confident-learning.js';
import { dispatch } from '../../../src/core/transport/dispatch.js';
import type { Suspect } from '../../../src/shared/api/quality.js';
import { sandbox, type Sandbox } from '../library/fixtures.js';
import { save } from './scenes.js';

let box: Sandbox;
afterEach(() => box?.cleanup());

const TINTS: Record<string, [number, number, number]> = { red: [210, 50, 50], green: [50, 200, 60], blue: [60, 70, 220] };

async function tinted(rgb: [number, number, number], seed: number): Promise<Buffer> {
  const side = 12;
  const px = Buffer.alloc(side * side * 3);
  let s = seed;
  for (let i = 0; i < px.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    px[i] = Math.max(0, Math.min(255, rgb[i % 3]! + ((s >>> 16) % 61) - 30));
  }
  return sharp(px, { raw: { width: side, height: side, channels: 3 } }).png().toBuffer();
}

describe('likely mislabels', () => {
  it('confident learning lists as many images as its confident joint finds off the diagonal, lowest self-confidence first', () => {
    const probs = [
      [0.9, 0.1],
      [0.8, 0.2],
      [0.2, 0.8],
      [0.3, 0.7],
      [0.05, 0.95], // labeled 0: a confident flip
      [0.45, 0.55], // labeled 0: weak disagreement, below class 1's threshold
    ];
    const labels = [0, 0, 1, 1, 0, 0];
    const issues = findLabelIssues(probs, labels, 2);
    expect(issues.map((i) => i.index)).toEqual([4]);
    expect(issues[0]).toMatchObject({ given: 0, suggested: 1 });
    expect(issues[0]!.margin).toBeCloseTo(0.9);

    // Two off-diagonal images; an uncertain one (no class above its threshold) with lower self-confidence comes first.
    const wider = [...probs, [0.3, 0.7], [0.1, 0.9]];
    const ranked = findLabelIssues([...wider, [0.02, 0.4, 0.58]].map((p) => (p.length === 2 ? [...p, 0] : p)), [...labels, 1, 0, 0], 3);
    expect(ranked.map((i) => i.index)).toEqual([8, 4]);
    expect(ranked[0]).toMatchObject({ given: 0, suggested: 2 });
  });

  it('planted label flips in a generated dataset rank at the top, and accepting one relabels it', async () => {
    box = sandbox('smallset-mislabel-');
    const flipped = new Map([
      ['red/7.png', 'green'],
      ['green/3.png', 'blue'],
      ['blue/11.png', 'red'],
    ]);
    for (const [name, rgb] of Object.entries(TINTS)) {
      for (let i = 0; i < 14; i++) {
        const rel = `${name}/${i}.png`;
        save(box.at('d', flipped.get(rel) ?? name, `${name}-${i}.png`), await tinted(rgb, i * 7 + name.length));
      }
    }
    const { datasetId } = await importFolder(box.ctx, { path: box.at('d') });
    const found = (await dispatch(box.ctx, 'quality.findMislabels', { datasetId, folds: 3, epochs: 12, size: 8, model: 'mlp', seed: 1 })) as { suspects: number; images: number };
    expect(found.images).toBe(42);
    const { suspects } = (await dispatch(box.ctx, 'quality.suspects', { datasetId })) as { suspects: Suspect[] };
    const top = suspects.slice(0, 5).map((s) => s.relPath);
    for (const [rel, wrongClass] of flipped) {
      const [trueClass, i] = rel.replace('.png', '').split('/');
      expect(top, JSON.stringify(suspects.slice(0, 8))).toContain(`${wrongClass}/${trueClass}-${i}.png`);
    }
    const first = suspects.find((s) => s.relPath === 'green/red-7.png')!;
    expect(first).toMatchObject({ given: 'green', suggested: 'red', status: 'open' });

    const review = (await dispatch(box.ctx, 'quality.review', { imageId: first.imageId, action: 'accept' })) as { previous: { classId: number }[] };
    expect(review.previous).toEqual([{ imageId: first.imageId, classId: first.givenClassId }]);
    const image = (await dispatch(box.ctx, 'images.get', { imageId: first.imageId })) as { className: string };
    expect(image.className).toBe('red');
    const open = (await dispatch(box.ctx, 'quality.suspects', { datasetId, status: 'open' })) as { suspects: Suspect[] };
    expect(open.suspects.some((s) => s.imageId === first.imageId)).toBe(false);
  }, 120_000);
});
