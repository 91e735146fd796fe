import { describe, expect, it } from 'vitest';
import { applyOps } from '../../../src/core/augment/apply.js';
import type { ConcreteOp, RawImage } from '../../../src/core/augment/op.js';
import { parsePipeline } from '../../../src/core/augment/pipeline.js';
import { createRng, sampleRng } from '../../../src/core/augment/rng.js';
import { sampleOps, samplePipeline } from '../../../src/core/augment/sample.js';
import { brightCentroid, markerImage, meanAbsDiff, photoLike, px, sameBytes } from './helpers.js';

const fill = { fill: 'constant', fill_colour: '#000000' };
const op = (id: string, params: Record<string, unknown> = {}): ConcreteOp => ({ op: id, params, path: '0' });
const apply1 = (image: RawImage, id: string, params: Record<string, unknown> = {}) => applyOps(image, [op(id, params)]);

describe('geometric ops on pixels', () => {
  const img = photoLike(40, 30, 3);

  it('hflip mirrors left and right exactly', async () => {
    const out = await apply1(img, 'hflip');
    for (const [x, y] of [[0, 0], [5, 7], [39, 29], [17, 12]] as const) expect(px(out, x, y)).toEqual(px(img, 39 - x, y));
  });

  it('vflip mirrors top and bottom exactly', async () => {
    const out = await apply1(img, 'vflip');
    for (const [x, y] of [[0, 0], [5, 7], [39, 29]] as const) expect(px(out, x, y)).toEqual(px(img, x, 29 - y));
  });

  it('rotate90 turns counter-clockwise exactly like numpy rot90, swapping the size for odd k', async () => {
    const k1 = await apply1(img, 'rotate90', { k: 1 });
    expect([k1.width, k1.height]).toEqual([30, 40]);
    for (let y = 0; y < k1.height; y++) for (let x = 0; x < k1.width; x++) expect(px(k1, x, y)).toEqual(px(img, 39 - y, x));
    const k2 = await apply1(img, 'rotate90', { k: 2 });
    for (let y = 0; y < 30; y++) for (let x = 0; x < 40; x++) expect(px(k2, x, y)).toEqual(px(img, 39 - x, 29 - y));
    const k3 = await apply1(img, 'rotate90', { k: 3 });
    for (let y = 0; y < k3.height; y++) for (let x = 0; x < k3.width; x++) expect(px(k3, x, y)).toEqual(px(img, y, 29 - x));
    const four = await applyOps(img, [op('rotate90', { k: 1 }), op('rotate90', { k: 3 })]);
    expect(sameBytes(four, img)).toBe(true);
  });

  it('rotate by +90° on a square image turns the same way as rotate90 k=1 (counter-clockwise)', async () => {
    const sq = photoLike(32, 32, 5);
    const a = await apply1(sq, 'rotate', { angle: 90, ...fill });
    const b = await apply1(sq, 'rotate90', { k: 1 });
    expect(meanAbsDiff(a, b)).toBeLessThan(0.5);
  });

  it('translate moves a marker by the fractions of width and height it reports', async () => {
    const m = markerImage(64, 48, 20, 20);
    const before = brightCentroid(m);
    const after = brightCentroid(await apply1(m, 'translate', { tx: 0.25, ty: -0.125, ...fill }));
    expect(after.x - before.x).toBeCloseTo(16, 1);
    expect(after.y - before.y).toBeCloseTo(-6, 1);
  });

  it('zoom scales distances from the centre by its factor', async () => {
    const m = markerImage(65, 49, 40, 30, 3);
    const c = { x: 32, y: 24 };
    const before = brightCentroid(m);
    const after = brightCentroid(await apply1(m, 'zoom', { scale: 1.5, ...fill }), 150);
    expect(after.x - c.x).toBeCloseTo((before.x - c.x) * 1.5, 0);
    expect(after.y - c.y).toBeCloseTo((before.y - c.y) * 1.5, 0);
  });

  it('shear x slides rows sideways in proportion to their distance from the centre', async () => {
    const m = markerImage(65, 49, 31, 34, 3);
    const before = brightCentroid(m);
    const after = brightCentroid(await apply1(m, 'shear', { x: 30, y: 0, ...fill }), 150);
    expect(after.x - before.x).toBeCloseTo(Math.tan(Math.PI / 6) * (before.y - 24), 0);
    expect(after.y).toBeCloseTo(before.y, 1);
  });

  it('crop cuts out exactly the pixels of its box', async () => {
    const out = await apply1(img, 'crop', { x: 0.25, y: 0.1, w: 0.5, h: 0.5 });
    expect([out.width, out.height]).toEqual([20, 15]);
    for (let y = 0; y < 15; y++) for (let x = 0; x < 20; x++) expect(px(out, x, y)).toEqual(px(img, x + 10, y + 3));
  });

  it('random_resized_crop at scale 1 copies its box exactly and otherwise reaches the requested size', async () => {
    const exact = await apply1(img, 'random_resized_crop', { x: 0.25, y: 0.2, w: 0.5, h: 0.5, width: 20, height: 15 });
    for (let y = 0; y < 15; y++) for (let x = 0; x < 20; x++) expect(px(exact, x, y)).toEqual(px(img, x + 10, y + 6));
    const pipeline = parsePipeline({ version: 1, ops: [{ op: 'random_resized_crop', width: 24, height: 16 }] });
    const r = samplePipeline(pipeline, createRng(4), img);
    expect(r.size).toEqual({ width: 24, height: 16 });
    const out = await applyOps(img, r.ops);
    expect([out.width, out.height]).toEqual([24, 16]);
    const box = r.ops[0]!.params as { x: number; y: number; w: number; h: number };
    expect(box.x + box.w).toBeLessThanOrEqual(1 + 1e-9);
    expect(box.y + box.h).toBeLessThanOrEqual(1 + 1e-9);
    expect(box.w * box.h).toBeGreaterThanOrEqual(0.08 - 1e-9);
  });

  it('perspective with undisplaced corners is the identity, and a displaced corner fills outside', async () => {
    const same = await apply1(img, 'perspective', { corners: [[0, 0], [1, 0], [1, 1], [0, 1]], ...fill });
    expect(sameBytes(same, img)).toBe(true);
    const bent = await apply1(img, 'perspective', { corners: [[0.3, 0.3], [1, 0], [1, 1], [0, 1]], fill: 'constant', fill_colour: '#ff00ff' });
    expect(px(bent, 1, 1)).toEqual([255, 0, 255]);
    expect(px(bent, 39, 29)).toEqual(px(img, 39, 29));
  });

  it('fills what rotation uncovers with the constant colour, the edge, or a reflection', async () => {
    const flat = photoLike(40, 40, 9);
    const constant = await apply1(flat, 'rotate', { angle: 45, fill: 'constant', fill_colour: '#00ff00' });
    expect(px(constant, 0, 0)).toEqual([0, 255, 0]);
    const edge = await apply1(flat, 'rotate', { angle: 45, fill: 'edge', fill_colour: '#00ff00' });
    expect(px(edge, 0, 0)).not.toEqual([0, 255, 0]);
    const reflect = await apply1(flat, 'rotate', { angle: 45, fill: 'reflect', fill_colour: '#00ff00' });
    expect(px(reflect, 0, 0)).not.toEqual([0, 255, 0]);
    expect(meanAbsDiff(edge, reflect)).toBeGreaterThan(0.5);
    // Inside the rotated frame all three agree.
    expect(px(constant, 20, 20)).toEqual(px(reflect, 20, 20));
  });
});

/** Float bilinear reference with edge clamping, straight from the definition (slow, obvious). */
function referenceResize(img: RawImage, box: { x: number; y: number; w: number; h: number }, W: number, H: number): RawImage {
  const out = new Uint8Array(W * H * 3);
  const sx = (box.w * img.width) / W;
  const sy = (box.h * img.height) / H;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const fx = Math.min(img.width - 1, Math.max(0, box.x * img.width + (x + 0.5) * sx - 0.5));
      const fy = Math.min(img.height - 1, Math.max(0, box.y * img.height + (y + 0.5) * sy - 0.5));
      const x0 = Math.floor(fx);
      const y0 = Math.floor(fy);
      const x1 = Math.min(x0 + 1, img.width - 1);
      const y1 = Math.min(y0 + 1, img.height - 1);
      for (let c = 0; c < 3; c++) {
        const v = (xx: number, yy: number) => img.data[(yy * img.width + xx) * 3 + c]!;
        const top = v(x0, y0) * (1 - (fx - x0)) + v(x1, y0) * (fx - x0);
        const bottom = v(x0, y1) * (1 - (fx - x0)) + v(x1, y1) * (fx - x0);
        out[(y * W + x) * 3 + c] = Math.round(top * (1 - (fy - y0)) + bottom * (fy - y0));
      }
    }
  }
  return { data: out, width: W, height: H, channels: 3 };
}

describe('resampling accuracy', () => {
  const cases = [
    { name: 'downscale', src: [97, 61], box: { x: 0.1, y: 0.05, w: 0.83, h: 0.9 }, out: [40, 23] },
    { name: 'upscale to a very wide row', src: [31, 17], box: { x: 0, y: 0, w: 1, h: 1 }, out: [3000, 5] },
    { name: 'tall and thin', src: [9, 200], box: { x: 0.2, y: 0.3, w: 0.5, h: 0.6 }, out: [7, 301] },
  ];
  for (const c of cases) {
    it(`matches a float bilinear reference within 1 level: ${c.name}`, async () => {
      const img = photoLike(c.src[0]!, c.src[1]!, 6);
      const out = await apply1(img, 'random_resized_crop', { ...c.box, width: c.out[0], height: c.out[1] });
      const ref = referenceResize(img, c.box, c.out[0]!, c.out[1]!);
      let max = 0;
      for (let i = 0; i < out.data.length; i++) max = Math.max(max, Math.abs(out.data[i]! - ref.data[i]!));
      expect(max).toBeLessThanOrEqual(1);
    });
  }
});

describe('fused geometry', () => {
  const chains: Record<string, ConcreteOp[]> = {
    'flip + rotate(reflect) + random resized crop': [
      op('hflip'),
      op('rotate', { angle: 23, fill: 'reflect', fill_colour: '#000000' }),
      op('random_resized_crop', { x: 0.1, y: 0.15, w: 0.7, h: 0.6, width: 48, height: 40 }),
    ],
    'translate(constant) + zoom(edge) + shear(reflect) + crop': [
      op('translate', { tx: 0.15, ty: -0.1, fill: 'constant', fill_colour: '#ff0000' }),
      op('zoom', { scale: 0.8, fill: 'edge', fill_colour: '#000000' }),
      op('shear', { x: 12, y: -6, fill: 'reflect', fill_colour: '#000000' }),
      op('crop', { x: 0.1, y: 0.1, w: 0.8, h: 0.8 }),
    ],
    'rotate90 + perspective + rotate(constant)': [
      op('rotate90', { k: 1 }),
      op('perspective', { corners: [[0.1, 0.05], [0.9, 0.1], [0.95, 0.9], [0.05, 0.95]], fill: 'edge', fill_colour: '#000000' }),
      op('rotate', { angle: -35, fill: 'constant', fill_colour: '#0000ff' }),
    ],
  };

  for (const [name, ops] of Object.entries(chains)) {
    it(`equals one-op-at-a-time resampling within interpolation error: ${name}`, async () => {
      // Without grain, interpolating once versus once per op differs only slightly.
      const img = photoLike(80, 60, 2, 0);
      const fused = await applyOps(img, ops);
      const sequential = await applyOps(img, ops, { fuse: false });
      expect([fused.width, fused.height]).toEqual([sequential.width, sequential.height]);
      expect(meanAbsDiff(fused, sequential)).toBeLessThan(2.5);
      // Fill decisions agree: count pixels that differ a lot (a wrong fill region would be many).
      let big = 0;
      for (let i = 0; i < fused.data.length; i++) if (Math.abs(fused.data[i]! - sequential.data[i]!) > 60) big++;
      expect(big / fused.data.length).toBeLessThan(0.01);
    });
  }

  it('is what a sampled chain applies by default, and replays byte for byte', async () => {
    const img = photoLike(64, 48, 4);
    const pipeline = parsePipeline({
      version: 1,
      ops: [{ op: 'hflip', p: 0.5 }, { op: 'rotate', degrees: [-30, 30], fill: 'reflect' }, { op: 'random_resized_crop', width: 32, height: 32 }],
    });
    const ops = sampleOps(pipeline, sampleRng(1, 77, 0), img);
    const a = await applyOps(img, ops);
    const b = await applyOps(img, ops);
    expect(sameBytes(a, b)).toBe(true);
    expect(meanAbsDiff(a, await applyOps(img, ops, { fuse: false }))).toBeLessThan(4);
  });
});
