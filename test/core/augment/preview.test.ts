import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/core/transport/dispatch.js';
import { clearPreviewMemory } from '../../../src/core/augment/preview-source.js';
import { libraryWithPhoto, type TestLibrary } from './context-helpers.js';

const run = promisify(execFile);
const pipeline = {
  version: 1,
  ops: [
    { op: 'hflip', p: 0.5 },
    { op: 'rotate', degrees: [-30, 30], fill: 'reflect' },
    { op: 'one_of', ops: [{ op: 'brightness' }, { op: 'gaussian_blur' }] },
  ],
};

type Preview = {
  source: { width: number; height: number };
  variants: { index: number; dataUrl: string; width: number; height: number; ops: { op: string; path: string }[] }[];
  grid: { dataUrl: string; width: number } | null;
};

let lib: TestLibrary;
beforeAll(async () => {
  lib = await libraryWithPhoto(800, 600);
});
afterAll(() => lib.cleanup());

function decodeDataUrl(url: string): Buffer {
  expect(url).toMatch(/^data:image\/jpeg;base64,/);
  return Buffer.from(url.split(',')[1]!, 'base64');
}

describe('augment.preview', () => {
  it('returns n variants at preview size with their concrete ops, and a grid', async () => {
    const r = (await dispatch(lib.ctx, 'augment.preview', { imageId: lib.imageId, pipeline, n: 4, seed: 3, size: 200, grid: true })) as Preview;
    expect(r.source).toMatchObject({ width: 200, height: 150 });
    expect(r.variants).toHaveLength(4);
    for (const v of r.variants) {
      const meta = await sharp(decodeDataUrl(v.dataUrl)).metadata();
      expect([meta.width, meta.height]).toEqual([200, 150]);
      expect(v.ops.some((o) => o.op === 'rotate' && o.path === '1')).toBe(true);
      expect(v.ops.filter((o) => o.path.startsWith('2.'))).toHaveLength(1);
    }
    expect(r.grid!.width).toBeGreaterThan(400);
  });

  it('is deterministic for a seed (byte-identical images, also from the disk cache) and varies across seeds', async () => {
    const req = { imageId: lib.imageId, pipeline, n: 3, seed: 8, size: 160 };
    const a = (await dispatch(lib.ctx, 'augment.preview', req)) as Preview;
    clearPreviewMemory();
    const b = (await dispatch(lib.ctx, 'augment.preview', req)) as Preview;
    expect(b.variants.map((v) => v.dataUrl)).toEqual(a.variants.map((v) => v.dataUrl));
    const c = (await dispatch(lib.ctx, 'augment.preview', { ...req, seed: 9 })) as Preview;
    expect(c.variants.map((v) => v.dataUrl)).not.toEqual(a.variants.map((v) => v.dataUrl));
  });

  it('explains variant 0 op by op in the strip (each op alone, p forced to 1)', async () => {
    const strip = (await dispatch(lib.ctx, 'augment.opStrip', { imageId: lib.imageId, pipeline, seed: 8, size: 160 })) as {
      items: { op: string; path: string; ops: { op: string; params: unknown }[] }[];
    };
    expect(strip.items.map((i) => i.op)).toEqual(['hflip', 'rotate', 'one_of']);
    expect(strip.items[0]!.ops).toEqual([{ op: 'hflip', params: {}, path: '0' }]);
    const preview = (await dispatch(lib.ctx, 'augment.preview', { imageId: lib.imageId, pipeline, n: 1, seed: 8, size: 160 })) as {
      variants: { ops: { op: string; params: unknown }[] }[];
    };
    const rotate = preview.variants[0]!.ops.find((o) => o.op === 'rotate');
    expect(strip.items[1]!.ops[0]).toEqual(rotate);
  });

  it('rejects a bad pipeline naming the op and field, and an unknown image', async () => {
    await expect(
      dispatch(lib.ctx, 'augment.preview', { imageId: lib.imageId, pipeline: { version: 1, ops: [{ op: 'zoom', scale: [0, 1] }] } }),
    ).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('ops[0] (zoom), field "scale.0"') });
    await expect(dispatch(lib.ctx, 'augment.preview', { imageId: 9999, pipeline })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('validatePipeline lists issues for editors and gives the canonical form when valid', async () => {
    const bad = (await dispatch(lib.ctx, 'augment.validatePipeline', { pipeline: { version: 1, ops: [{ op: 'rotate', fill: 'x' }] } })) as {
      valid: boolean;
      issues: { at: string; op: string; field: string }[];
    };
    expect(bad.valid).toBe(false);
    expect(bad.issues[0]).toMatchObject({ at: 'ops[0]', op: 'rotate', field: 'fill' });
    const good = (await dispatch(lib.ctx, 'augment.validatePipeline', { pipeline })) as { valid: boolean; canonical: { ops: unknown[] } };
    expect(good.valid).toBe(true);
    expect(good.canonical.ops[1]).toMatchObject({ op: 'rotate', p: 1, fill_colour: '#000000' });
  });

  it('augment.ops lists every op with slider descriptors', async () => {
    const r = (await dispatch(lib.ctx, 'augment.ops', {})) as { ops: { id: string; params: { name: string; kind: string }[] }[] };
    expect(r.ops.find((o) => o.id === 'gaussian_noise')!.params.map((p) => p.kind)).toEqual(['range', 'boolean']);
    expect(r.ops).toHaveLength(30);
  });

  it('decodes a 2000 px photo once, at preview size, and keeps that copy for the next previews', async () => {
    const big = await libraryWithPhoto(2000, 1500);
    try {
      const req = { imageId: big.imageId, pipeline, n: 9, seed: 1, grid: true };
      const first = (await dispatch(big.ctx, 'augment.preview', req)) as Preview;
      const cached = readdirSync(big.ctx.paths.decoded, { recursive: true }).map(String).filter((f) => f.endsWith('.rgb'));
      expect(cached).toHaveLength(1);
      const stored = statSync(path.join(big.ctx.paths.decoded, cached[0]!)).size;
      // The decoded copy is the preview's working size (shrink-on-load), not the 2000×1500 original.
      expect(Math.max(first.source.width, first.source.height)).toBeLessThan(2000);
      expect(stored).toBeLessThan(2000 * 1500 * 3 / 4);
      // Later previews come from that copy: the original's bytes are not needed any more.
      renameSync(big.imagePath, `${big.imagePath}.away`);
      const again = (await dispatch(big.ctx, 'augment.preview', req)) as Preview;
      expect(again.variants.map((v) => v.dataUrl)).toEqual(first.variants.map((v) => v.dataUrl));
    } finally {
      big.cleanup();
    }
  });
});

describe('smallset preview (CLI)', () => {
  it('writes variants, a grid, the strip and a manifest of concrete ops', async () => {
    const file = path.join(lib.dir, 'pipeline.json');
    writeFileSync(file, JSON.stringify(pipeline));
    const out = path.join(lib.dir, 'preview-out');
    lib.ctx.close();
    const bin = path.resolve('bin/smallset');
    const { stdout } = await run(bin, ['--data', path.join(lib.dir, 'data'), '--json', 'preview', String(lib.imageId), '--pipeline', file, '--n', '4', '--seed', '2', '--out', out]);
    const result = JSON.parse(stdout) as { variants: { file: string }[]; grid: string; strip: string; manifest: string };
    expect(result.variants).toHaveLength(4);
    for (const v of result.variants) expect(existsSync(v.file)).toBe(true);
    expect(existsSync(result.grid) && existsSync(result.strip)).toBe(true);
    const manifest = JSON.parse(readFileSync(result.manifest, 'utf8')) as { seed: number; variants: { ops: unknown[] }[] };
    expect(manifest.seed).toBe(2);
    expect(manifest.variants[0]!.ops.length).toBeGreaterThan(0);

    const bad = path.join(lib.dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ version: 1, ops: [{ op: 'rotate', degrees: [0, 999] }] }));
    const failed = await run(bin, ['--data', path.join(lib.dir, 'data'), 'preview', String(lib.imageId), '--pipeline', bad, '--out', out]).catch((e: { code: number; stderr: string }) => e);
    expect('code' in failed && failed.code).toBe(2);
    expect((failed as { stderr: string }).stderr).toContain('ops[0] (rotate), field "degrees.1"');
  });
});
