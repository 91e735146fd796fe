import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFolder } from '../../../src/core/library/import-folder.js';
import { queryImages } from '../../../src/core/library/query-images.js';
import { sandbox, writeImage, type Sandbox } from './fixtures.js';

let box: Sandbox;
beforeEach(() => {
  box = sandbox();
});
afterEach(() => box.cleanup());

/** A valid PNG whose header claims `width`×`height`: enough for the pixel-limit check to see. */
async function pngClaiming(width: number, height: number): Promise<Buffer> {
  const png = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#808080' } }).png().toBuffer();
  // IHDR data starts after the 8-byte signature, 4-byte length and 4-byte type.
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}

function errorsByPath(datasetId: number): Record<string, string> {
  const { images } = queryImages(box.ctx.db, { datasetId, hasError: true, offset: 0, limit: 100 });
  return Object.fromEntries(images.map((i) => [i.relPath, i.error ?? '']));
}

describe('import of bad input', () => {
  it('records each broken file with a clear reason and imports the rest', async () => {
    const root = box.at('bad');
    const good = await writeImage(path.join(root, 'cat', 'good.jpg'), { width: 200, height: 150 });
    await writeImage(path.join(root, 'cat', 'good2.png'), { format: 'png', seed: 9 });
    writeFileSync(path.join(root, 'cat', 'truncated.jpg'), good.subarray(0, Math.floor(good.length / 2)));
    const png = await writeImage(path.join(root, 'dog', 'ok.png'), { format: 'png', width: 200, height: 150, seed: 3 });
    writeFileSync(path.join(root, 'dog', 'truncated.png'), png.subarray(0, Math.floor(png.length / 2)));
    writeFileSync(path.join(root, 'dog', 'empty.jpg'), Buffer.alloc(0));
    writeFileSync(path.join(root, 'dog', 'notes.jpg'), 'these are my notes, not a photo');
    writeFileSync(path.join(root, 'dog', 'huge.png'), await pngClaiming(20_000, 20_000));
    writeFileSync(path.join(root, 'dog', 'old.bmp'), Buffer.from('BM not really'));
    const corrupt = Buffer.from(good);
    corrupt.fill(0x55, 2, 400);
    writeFileSync(path.join(root, 'dog', 'corrupt.jpg'), corrupt);

    const result = await importFolder(box.ctx, { path: root });
    expect(result.imported).toBe(3);
    const reasons = Object.fromEntries(result.errors.map((e) => [e.path, e.reason]));
    expect(Object.keys(reasons).sort()).toEqual(
      ['cat/truncated.jpg', 'dog/corrupt.jpg', 'dog/empty.jpg', 'dog/huge.png', 'dog/notes.jpg', 'dog/old.bmp', 'dog/truncated.png'].sort(),
    );
    expect(reasons['cat/truncated.jpg']).toMatch(/corrupt or truncated/);
    expect(reasons['dog/truncated.png']).toMatch(/corrupt or truncated/);
    expect(reasons['dog/corrupt.jpg']).toMatch(/^corrupt/);
    expect(reasons['dog/empty.jpg']).toBe('empty file (0 bytes)');
    expect(reasons['dog/notes.jpg']).toMatch(/^not an image/);
    expect(reasons['dog/huge.png']).toMatch(/20000×20000 \(400 MP\), over the 100 MP limit/);
    expect(reasons['dog/old.bmp']).toMatch(/BMP/);

    // Each also has a row with its reason, found by the has-error filter, in its folder's class.
    expect(errorsByPath(result.datasetId)).toEqual(reasons);
    const rows = box.ctx.db.prepare('SELECT c.name AS cls, i.split FROM images i JOIN classes c ON c.id = i.class_id WHERE i.error IS NOT NULL').all() as {
      cls: string;
      split: string | null;
    }[];
    expect(rows.filter((r) => r.cls === 'cat')).toHaveLength(1);
    expect(rows.every((r) => r.split === null)).toBe(true);
    expect(result.classes).toEqual({ cat: 3, dog: 7 });
  });

  it('follows symbolic links to files and folders but reports loops and broken links', async () => {
    const root = box.at('links');
    await writeImage(path.join(root, 'cat', 'a.jpg'), { seed: 1 });
    await writeImage(box.at('elsewhere', 'outside.jpg'), { seed: 2 });
    await writeImage(box.at('shared', 'b.jpg'), { seed: 3 });
    symlinkSync(box.at('elsewhere', 'outside.jpg'), path.join(root, 'cat', 'linked.jpg'));
    symlinkSync(box.at('shared'), path.join(root, 'dog'));
    symlinkSync('..', path.join(root, 'cat', 'loop'));
    symlinkSync(root, path.join(root, 'cat', 'to-root'));
    symlinkSync('self.jpg', path.join(root, 'cat', 'self.jpg'));
    symlinkSync('nowhere.jpg', path.join(root, 'cat', 'gone.jpg'));

    const result = await importFolder(box.ctx, { path: root });
    expect(result.classes).toEqual({ cat: 4, dog: 1 });
    const reasons = Object.fromEntries(result.errors.map((e) => [e.path, e.reason]));
    expect(reasons['cat/loop']).toMatch(/symbolic link loop/);
    expect(reasons['cat/to-root']).toMatch(/symbolic link loop/);
    expect(reasons['cat/self.jpg']).toMatch(/loop/);
    expect(reasons['cat/gone.jpg']).toMatch(/broken symbolic link/);
    const { images } = queryImages(box.ctx.db, { datasetId: result.datasetId, hasError: false, offset: 0, limit: 100 });
    expect(images.map((i) => i.relPath).sort()).toEqual(['cat/a.jpg', 'cat/linked.jpg', 'dog/b.jpg']);
  });

  it('records files and folders it may not read (as an unprivileged user when tests run as root)', async () => {
    const root = box.at('locked');
    await writeImage(path.join(root, 'cat', 'open.jpg'), { seed: 1 });
    await writeImage(path.join(root, 'cat', 'secret.jpg'), { seed: 2 });
    await writeImage(path.join(root, 'private', 'hidden-away.jpg'), { seed: 3 });
    chmodSync(path.join(root, 'cat', 'secret.jpg'), 0o000);
    chmodSync(path.join(root, 'private'), 0o000);

    let readable = true;
    try {
      readFileSync(path.join(root, 'cat', 'secret.jpg'));
    } catch {
      readable = false;
    }
    // Root reads anything: then run the same import in a child process as `nobody`, where mode 000 bites.
    const result = readable ? runImportAsNobody(root) : await importFolder(box.ctx, { path: root });
    chmodSync(path.join(root, 'private'), 0o755);
    expect(result.imported).toBe(1);
    expect(result.errors).toEqual([
      { path: 'private', reason: 'permission denied: cannot read this folder' },
      { path: 'cat/secret.jpg', reason: 'permission denied: cannot read this file' },
    ]);
  });
});

function runImportAsNobody(root: string): { imported: number; errors: { path: string; reason: string }[] } {
  const work = box.at('as-nobody');
  mkdirSync(work, { recursive: true });
  chmodSync(box.dir, 0o755);
  chmodSync(work, 0o777);
  const script = path.join(work, 'import.mts');
  const src = path.resolve('src/core');
  writeFileSync(
    script,
    `import { createContext } from '${src}/context.ts';
     import { importFolder } from '${src}/library/import-folder.ts';
     const ctx = createContext(${JSON.stringify(path.join(work, 'data'))});
     const r = await importFolder(ctx, { path: ${JSON.stringify(root)} });
     ctx.close();
     process.stdout.write(JSON.stringify(r));`,
  );
  const child = spawnSync(process.execPath, ['--import', 'tsx', script], { uid: 65534, gid: 65534, encoding: 'utf8', cwd: path.resolve('.') });
  if (child.status !== 0) throw new Error(`child import failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as { imported: number; errors: { path: string; reason: string }[] };
}
