import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, lstatSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type AppContext } from '../../src/core/context.js';
import { importFolder } from '../../src/core/library/import-folder.js';
import { readImageFile } from '../../src/core/library/read-image.js';
import { rescanDataset } from '../../src/core/library/rescan.js';
import { dispatch } from '../../src/core/transport/dispatch.js';
import { ApiError } from '../../src/shared/api/errors.js';
import type { ImportResult } from '../../src/shared/api/library.js';
import type { RunDetail } from '../../src/shared/api/train.js';
import { generateHostileCorpus, type HostileCorpus } from '../fixtures/hostile/generate.js';

const pipeline = {
  version: 1,
  ops: [
    { op: 'hflip', p: 0.5 },
    { op: 'rotate', p: 1, degrees: [-20, 20], fill: 'reflect' },
    { op: 'brightness', p: 0.8, factor: [0.8, 1.2] },
  ],
};

interface Row {
  id: number;
  rel_path: string;
  width: number | null;
  height: number | null;
  error: string | null;
}

let dir: string;
let ctx: AppContext;
let corpus: HostileCorpus;
let imported: ImportResult;
let rows: Map<string, Row>;
let hashesBefore: Map<string, string>;

function hashTree(root: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    try {
      out.set(path.relative(root, file), createHash('sha256').update(readFileSync(file)).digest('hex'));
    } catch {
      out.set(path.relative(root, file), 'unreadable');
    }
  }
  return out;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'smallset-hostile-'));
  corpus = await generateHostileCorpus(path.join(dir, 'corpus'));
  hashesBefore = hashTree(corpus.root);
  ctx = createContext(path.join(dir, 'data'));
  imported = await importFolder(ctx, { path: corpus.root, name: 'hostile' });
  const list = ctx.db.prepare('SELECT id, rel_path, width, height, error FROM images WHERE dataset_id = ?').all(imported.datasetId) as Row[];
  rows = new Map(list.map((r) => [r.rel_path, r]));
});

afterAll(() => {
  ctx.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the hostile-files corpus', () => {
  it(`import: every file is a readable image of the right size or a per-file error with its reason`, () => {
    const reasons = new Map(imported.errors.map((e) => [e.path, e.reason]));
    for (const c of corpus.cases) {
      if (c.expect.ok) {
        expect(reasons.get(c.relPath), `${c.what} (${c.relPath})`).toBeUndefined();
        const row = rows.get(c.relPath);
        expect(row, `${c.what} (${c.relPath}) has a row`).toBeDefined();
        expect([row!.width, row!.height, row!.error], `${c.what} (${c.relPath})`).toEqual([c.expect.width, c.expect.height, null]);
      } else {
        expect(reasons.get(c.relPath), `${c.what} (${c.relPath})`).toMatch(c.expect.reason);
      }
    }
    expect(imported.imported).toBe(corpus.cases.filter((c) => c.expect.ok).length);
    expect(imported.errors).toHaveLength(corpus.cases.filter((c) => !c.expect.ok).length);
  });

  it('preview: a readable image previews (EXIF turned upright); a broken one is a clear 4xx-class error', async () => {
    for (const row of rows.values()) {
      const c = corpus.cases.find((x) => x.relPath === row.rel_path)!;
      const call = dispatch(ctx, 'augment.preview', { imageId: row.id, pipeline, n: 2, seed: 1, size: 64 });
      if (row.error === null) {
        const r = (await call) as { source: { width: number; height: number }; variants: unknown[] };
        expect(r.variants, c.what).toHaveLength(2);
        if (c.expect.ok) expect(r.source.width / r.source.height, c.what).toBeCloseTo(c.expect.width / c.expect.height, 1);
      } else {
        const err = await call.then(
          () => null,
          (e: unknown) => e,
        );
        expect(err, c.what).toBeInstanceOf(ApiError);
        expect((err as ApiError).code, `${c.what}: ${(err as ApiError).message}`).not.toBe('internal');
      }
    }
  });

  it('train: trains on the readable images only and finishes', { timeout: 120_000 }, async () => {
    const { runId } = (await dispatch(ctx, 'train.start', { datasetId: imported.datasetId, pipeline, size: 16, batchSize: 8, epochs: 1, seed: 1 })) as { runId: string };
    let run: RunDetail;
    const deadline = Date.now() + 110_000;
    do {
      await new Promise((r) => setTimeout(r, 200));
      run = (await dispatch(ctx, 'runs.get', { runId })) as RunDetail;
    } while (!['done', 'failed', 'cancelled'].includes(run.status) && Date.now() < deadline);
    expect([run.status, run.error]).toEqual(['done', null]);
  });

  it('export: writes every readable labelled image and skips the broken ones, counted', async () => {
    const out = path.join(dir, 'export');
    const r = (await dispatch(ctx, 'export.dataset', { datasetId: imported.datasetId, pipeline, copies: 1, out, size: 16, format: 'png', splits: ['train', 'val', 'test'] })) as {
      files: number;
      skipped: { unreadable: number; otherSplits: number };
      manifest: string;
    };
    const broken = [...rows.values()].filter((row) => row.error !== null).length;
    expect(broken).toBeGreaterThanOrEqual(imported.errors.length - 1); // a looping folder link has no image row
    expect(r.skipped.unreadable).toBe(broken);
    const manifest = readFileSync(r.manifest, 'utf8');
    // Every file listed exists and decodes; the awkward names survive quoting in the CSV.
    const written = readdirSync(out, { recursive: true }).filter((f) => String(f).endsWith('.png'));
    expect(written.length).toBe(r.files);
    for (const f of written) await sharp(path.join(out, String(f))).stats();
    expect(manifest).toContain('/b/comma, ""quote"" and\ttab.webp",');
    // Written names are safe in a CSV and a shell: no commas, quotes, tabs or spaces.
    for (const f of written) expect(path.basename(String(f))).toMatch(/^[^,"'\s\\/]+$/u);
  });

  it('leaves the database consistent: one row per file, errors kept with their reason and no split', () => {
    expect(ctx.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(ctx.db.pragma('foreign_key_check')).toEqual([]);
    const all = ctx.db.prepare('SELECT rel_path, hash, split, error FROM images WHERE dataset_id = ?').all(imported.datasetId) as {
      rel_path: string;
      hash: string | null;
      split: string | null;
      error: string | null;
    }[];
    const reasons = new Map(imported.errors.map((e) => [e.path, e.reason]));
    for (const r of all) {
      if (r.error === null) {
        expect(r.split, r.rel_path).not.toBeNull();
        expect(r.hash, r.rel_path).toMatch(/^[0-9a-f]{40}$/);
      } else {
        expect(r.split, r.rel_path).toBeNull();
        expect(reasons.get(r.rel_path), r.rel_path).toBe(r.error);
      }
    }
    // Folder-level problems (link loops) have no row; every file-level one has exactly one.
    const fileErrors = imported.errors.filter((e) => rows.has(e.path));
    expect(all).toHaveLength(imported.imported + fileErrors.length);
  });

  it('rescan goes past the same bad files again and changes nothing', async () => {
    const before = ctx.db.prepare('SELECT id, rel_path, hash, class_id, split, error FROM images WHERE dataset_id = ? ORDER BY id').all(imported.datasetId);
    const again = await rescanDataset(ctx, { datasetId: imported.datasetId });
    expect({ added: again.added, removed: again.removed, changed: again.changed, moved: again.moved }).toEqual({ added: 0, removed: 0, changed: 0, moved: 0 });
    expect(new Set(again.errors.map((e) => e.path))).toEqual(new Set(imported.errors.map((e) => e.path)));
    expect(ctx.db.prepare('SELECT id, rel_path, hash, class_id, split, error FROM images WHERE dataset_id = ? ORDER BY id').all(imported.datasetId)).toEqual(before);
  });

  it('gives every bad file the same reason however many decodes fail at once (libvips shares one error buffer)', async () => {
    const bad = imported.errors.filter((e) => rows.has(e.path));
    expect(bad.length).toBeGreaterThan(5);
    for (const e of bad) expect(e.reason, e.path).not.toMatch(/unknown error/i);
    // Every file read 4 times at once, in a fresh thumbnail folder so the pixel decode runs too and
    // the good files' thumbnail encodes finish (and clear libvips' error buffer) beside the failures.
    const thumbs = path.join(dir, 'thumbs-stable');
    const files = [...rows.keys()].flatMap((relPath) => {
      const abs = path.join(corpus.root, relPath);
      const st = lstatSync(abs, { throwIfNoEntry: false });
      return st?.isFile() ? [{ relPath, absPath: abs, size: st.size, mtimeMs: st.mtimeMs }] : [];
    });
    expect(files.length).toBeGreaterThan(bad.length);
    const outcomes = await Promise.all([1, 2, 3, 4].flatMap((n) => files.map((f) => readImageFile(f, path.join(thumbs, String(n))))));
    outcomes.forEach((out, i) => {
      const f = files[i % files.length]!;
      expect(out.ok ? 'read' : out.reason, f.relPath).toBe(rows.get(f.relPath)?.error ?? 'read');
    });
  });

  it('a file that cannot be read (here: a folder where a file was listed) is a per-file reason, not a crash', async () => {
    const folder = path.join(dir, 'listed-as-file.jpg');
    mkdirSync(folder, { recursive: true });
    const out = await readImageFile({ relPath: 'listed-as-file.jpg', absPath: folder, size: 1, mtimeMs: 0 }, path.join(dir, 'thumbs'));
    expect(out).toMatchObject({ ok: false, hash: null });
    expect(out.ok ? '' : out.reason).toMatch(/cannot read this file: .*EISDIR/);
  });

  it('leaves every original byte-identical', () => {
    expect(hashTree(corpus.root)).toEqual(hashesBefore);
  });
});

describe('a file changed during import', () => {
  it('is recorded with the hash of the bytes actually read, and export then names it instead of writing stale data', async () => {
    const root = path.join(dir, 'changing');
    const before = await sharp({ create: { width: 20, height: 20, channels: 3, background: '#c04040' } }).png().toBuffer();
    const after = await sharp({ create: { width: 30, height: 10, channels: 3, background: '#40c040' } }).png().toBuffer();
    const fillers: Buffer[] = [];
    for (let k = 0; k < 40; k++) fillers.push(await sharp({ create: { width: 20, height: 20, channels: 3, background: { r: k * 6, g: 0, b: 0 } } }).png().toBuffer());
    fillers.forEach((b, k) => {
      const file = path.join(root, k % 2 ? 'x' : 'y', `f${k}.png`);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, b, { flag: 'w' });
    });
    writeFileSync(path.join(root, 'x', 'changing.png'), before);
    const target = path.join(root, 'x', 'changing.png');
    const own = createContext(path.join(dir, 'data-changing'));
    try {
      // Rewrite the file as soon as the import starts reading files (after the walk found it).
      let changed = false;
      const off = own.events.onAny((event, payload) => {
        if (!changed && event === 'job.progress' && (payload as { phase: string }).phase !== 'finding images') {
          changed = true;
          writeFileSync(target, after);
        }
      });
      const r = await importFolder(own, { path: root });
      off();
      expect(changed).toBe(true);
      const row = own.db.prepare("SELECT hash, width, height, error FROM images WHERE rel_path = 'x/changing.png'").get() as {
        hash: string;
        width: number;
        height: number;
        error: string | null;
      };
      const sha1 = (b: Buffer) => createHash('sha1').update(b).digest('hex');
      // Either version, but consistent: hash and size come from the same bytes.
      if (row.hash === sha1(before)) expect([row.width, row.height]).toEqual([20, 20]);
      else expect([row.hash, row.width, row.height]).toEqual([sha1(after), 30, 10]);
      expect(row.error).toBeNull();
      expect(r.imported).toBe(41);
      // Change it once more: export refuses to write content the library never saw, naming the file.
      writeFileSync(target, before.subarray(0, 50));
      const err = await dispatch(own, 'export.dataset', { datasetId: r.datasetId, out: path.join(dir, 'changing-out'), size: 16, copies: 0 }).then(
        () => null,
        (e: unknown) => e as ApiError,
      );
      expect(err?.code).toBe('conflict');
      expect(err?.message).toContain('changing.png');
      expect(existsSync(path.join(dir, 'changing-out'))).toBe(false);
    } finally {
      own.close();
    }
  });
});
