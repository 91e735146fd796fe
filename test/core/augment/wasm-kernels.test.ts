import { describe, expect, it } from 'vitest';
import type { ConcreteOp, GeometryStage, RawImage, Size } from '../../../src/core/augment/op.js';
import { parsePipeline } from '../../../src/core/augment/pipeline.js';
import { blurReference, blurWeights, gaussianBlur } from '../../../src/core/augment/pixels/convolve.js';
import { warp } from '../../../src/core/augment/pixels/warp.js';
import { findPixelOp } from '../../../src/core/augment/registry.js';
import { sampleRng } from '../../../src/core/augment/rng.js';
import { sampleOps } from '../../../src/core/augment/sample.js';
import { photoLike } from './helpers.js';

/** The wasm kernels (src/core/augment/pixels/wasm) against their TypeScript twins: same bytes. */

const same = (a: RawImage, b: RawImage) => a.width === b.width && a.height === b.height && Buffer.from(a.data).equals(Buffer.from(b.data));

function stagesOf(ops: readonly ConcreteOp[], size: Size): GeometryStage[] {
  const stages: GeometryStage[] = [];
  for (const c of ops) {
    const st = findPixelOp(c.op)!.geometry!(c.params, size);
    stages.push(st);
    size = { width: st.outWidth, height: st.outHeight };
  }
  return stages;
}

describe('wasm kernels', () => {
  it('blur: the same bytes as the TypeScript blur for any size, σ and kernel size', () => {
    const sizes: [number, number][] = [
      [1, 1],
      [2, 3],
      [5, 1],
      [7, 5],
      [31, 17],
      [64, 48],
    ];
    let blurred = 0;
    for (const [k, [w, h]] of sizes.entries()) {
      const img = photoLike(w, h, k + 1, 40);
      for (const kernel of [3, 5, 7, 9, 11, 25]) {
        for (const sigma of [0.2, 0.6, 1.3, 2.9, 7]) {
          const weights = blurWeights(kernel, sigma);
          const out = gaussianBlur(img, kernel, sigma);
          expect(same(out, weights.length > 1 ? blurReference(img, weights) : img), `${w}×${h} k${kernel} σ${sigma}`).toBe(true);
          if (!same(out, img)) blurred++;
        }
      }
    }
    expect(blurred).toBeGreaterThan(100);
  });

  it('warp: the same bytes as the TypeScript rows for rotations, crops, zooms and shears', () => {
    const pipeline = parsePipeline({
      version: 1,
      ops: [
        { op: 'hflip', p: 0.5 },
        { op: 'rotate', degrees: [-40, 40], fill: 'constant' },
        { op: 'zoom', scale: [0.6, 1.4], fill: 'reflect', p: 0.5 },
        { op: 'shear', x: [-15, 15], fill: 'edge', p: 0.5 },
        { op: 'translate', x: [-0.2, 0.2], y: [-0.2, 0.2], p: 0.5 },
        { op: 'random_resized_crop', width: 48, height: 40 },
      ],
    });
    for (let i = 0; i < 40; i++) {
      const img = photoLike(90 + (i % 7) * 13, 70 + (i % 5) * 11, i + 1, 30);
      const ops = sampleOps(pipeline, sampleRng(5, i, 0), img);
      const stages = stagesOf(ops, img);
      expect(same(warp(img, stages), warp(img, stages, 'typescript')), `image ${i}: ${JSON.stringify(ops)}`).toBe(true);
    }
  });
});
