import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addBackboneFolder, downloadBackbone } from '../../../src/core/transfer/acquire.js';
import { listBackbones, readBackbone, removeBackbone } from '../../../src/core/transfer/backbone-store.js';
import type { DownloadProgress } from '../../../src/core/transfer/download.js';
import { savedTinyCnn } from './helpers.js';

interface Served {
  url: string;
  ranges: (string | undefined)[];
  close(): Promise<void>;
}

/**
 * Serves a saved model folder. `cut(file, attempt)` returns how many bytes to send before
 * destroying the socket (null: send all); Range requests are honoured unless `ignoreRange`.
 */
async function serve(folder: string, cut: (file: string, attempt: number) => number | null = () => null): Promise<Served> {
  const ranges: (string | undefined)[] = [];
  const attempts = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const file = path.basename(req.url ?? '');
    const full = path.join(folder, file);
    if (!existsSync(full) || req.url !== `/${file}`) {
      res.writeHead(404).end();
      return;
    }
    const body = readFileSync(full);
    const range = req.headers.range;
    ranges.push(range);
    const attempt = attempts.get(file) ?? 0;
    attempts.set(file, attempt + 1);
    const from = range ? Number(/bytes=(\d+)-/.exec(range)![1]) : 0;
    const part = body.subarray(from);
    res.writeHead(range ? 206 : 200, {
      'content-length': String(part.length),
      ...(range ? { 'content-range': `bytes ${from}-${body.length - 1}/${body.length}` } : {}),
    });
    const limit = cut(file, attempt);
    if (limit === null) {
      res.end(part);
      return;
    }
    res.write(part.subarray(0, limit), () => setTimeout(() => res.socket?.destroy(), 20));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/model.json`,
    ranges,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const closers: (() => Promise<void>)[] = [];
const savedUrl = process.env.SMALLSET_MOBILENET_URL;
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
  if (savedUrl === undefined) delete process.env.SMALLSET_MOBILENET_URL;
  else process.env.SMALLSET_MOBILENET_URL = savedUrl;
});

function cacheRoot(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'smallset-cache-'));
}

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('backbone download', () => {
  it('downloads model.json and its weights once, with progress, then records sizes, hashes and the URL', async () => {
    const folder = await savedTinyCnn();
    const server = await serve(folder);
    closers.push(server.close);
    process.env.SMALLSET_MOBILENET_URL = server.url;
    const root = cacheRoot();
    const events: DownloadProgress[] = [];
    const info = await downloadBackbone(root, 'mobilenet-v2', 'mnv2', { onProgress: (p) => events.push(p) });
    const bytes = readFileSync(path.join(folder, 'model.json')).length + readFileSync(path.join(folder, 'weights.bin')).length;
    expect(info).toMatchObject({ name: 'mnv2', source: 'download', preprocessing: 'symmetric', inputSize: 224, bytes });
    expect(info.provenance.url).toBe(server.url);
    expect(info.provenance.sha256['weights.bin']).toBe(sha(path.join(folder, 'weights.bin')));
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events.map((e) => e.done)).toEqual([...events.map((e) => e.done)].sort((a, b) => a - b));
    expect(events.at(-1)).toMatchObject({ done: bytes, total: bytes, file: 'weights.bin' });
    expect((await listBackbones(root)).map((b) => b.name)).toEqual(['mnv2']);
    await expect(downloadBackbone(root, 'mobilenet-v2', 'mnv2')).rejects.toThrow(/already exists/);
  });

  it('fails on a wrong hash and keeps nothing', async () => {
    const folder = await savedTinyCnn();
    const server = await serve(folder);
    closers.push(server.close);
    process.env.SMALLSET_MOBILENET_URL = server.url;
    const root = cacheRoot();
    await expect(downloadBackbone(root, 'mobilenet-v2', 'bad', { expected: { 'weights.bin': { sha256: '0'.repeat(64) } } })).rejects.toThrow(
      /weights\.bin has sha256 [0-9a-f]{64}, 0{64} expected/,
    );
    expect(readdirSync(root)).toEqual([]);
  });

  it('continues a cut connection with a Range request', async () => {
    const folder = await savedTinyCnn();
    const server = await serve(folder, (file, attempt) => (file === 'weights.bin' && attempt === 0 ? 100 : null));
    closers.push(server.close);
    process.env.SMALLSET_MOBILENET_URL = server.url;
    const root = cacheRoot();
    const info = await downloadBackbone(root, 'mobilenet-v2', 'resumed', { retryDelayMs: 10 });
    expect(server.ranges).toContain('bytes=100-');
    expect(sha(path.join(info.path, 'weights.bin'))).toBe(sha(path.join(folder, 'weights.bin')));
  });

  it('gives up cleanly when the connection keeps being cut: no partial files', async () => {
    const folder = await savedTinyCnn();
    const server = await serve(folder, (file) => (file === 'weights.bin' ? 0 : null));
    closers.push(server.close);
    process.env.SMALLSET_MOBILENET_URL = server.url;
    const root = cacheRoot();
    await expect(downloadBackbone(root, 'mobilenet-v2', 'cut', { retries: 2, retryDelayMs: 10 })).rejects.toMatchObject({
      code: 'network_error',
      message: expect.stringMatching(/failed after 3 attempts: the connection to 127\.0\.0\.1:\d+ was cut .*Nothing was kept/),
    });
    expect(readdirSync(root)).toEqual([]);
  });

  it('says which host it could not reach when nothing listens there, and keeps nothing', async () => {
    const server = await serve(await savedTinyCnn());
    await server.close();
    process.env.SMALLSET_MOBILENET_URL = server.url;
    const root = cacheRoot();
    const host = new URL(server.url).host;
    await expect(downloadBackbone(root, 'mobilenet-v2', 'offline', { retries: 1, retryDelayMs: 10 })).rejects.toMatchObject({
      code: 'network_error',
      message: expect.stringMatching(new RegExp(`^Could not reach ${host.replace(/\./g, '\\.')}: connection refused .*failed after 2 attempts; nothing was kept`)),
    });
    expect(readdirSync(root)).toEqual([]);
  });

  it('says which URL answered 404', async () => {
    const folder = await savedTinyCnn();
    const server = await serve(folder);
    closers.push(server.close);
    process.env.SMALLSET_MOBILENET_URL = server.url.replace('model.json', 'nothing/model.json');
    const root = cacheRoot();
    await expect(downloadBackbone(root, 'mobilenet-v2', 'x', { retryDelayMs: 10 })).rejects.toThrow(/nothing\/model\.json failed: HTTP 404/);
    expect(readdirSync(root)).toEqual([]);
  });
});

describe('local backbone folders', () => {
  it('adds a TensorFlow.js model folder with its input size and feature layer, lists and removes it', async () => {
    const folder = await savedTinyCnn();
    const root = cacheRoot();
    const info = await addBackboneFolder(root, { folder, name: 'local', preprocessing: 'unit', inputSize: null });
    expect(info).toMatchObject({ name: 'local', inputSize: 16, format: 'layers-model', source: 'folder', params: 4 * 27 + 4 + 6 * 36 + 6 + 6 * 3 + 3 });
    expect(info.featureLayer).toMatch(/global_average_pooling2d/);
    expect(info.provenance.folder).toBe(folder);
    expect((await readBackbone(root, 'local')).provenance.sha256['model.json']).toBe(sha(path.join(folder, 'model.json')));
    await expect(addBackboneFolder(root, { folder, name: 'local', preprocessing: 'unit', inputSize: null })).rejects.toThrow(/already exists/);
    await removeBackbone(root, 'local');
    expect(await listBackbones(root)).toEqual([]);
  });

  it('takes the model.json a user picked, and names what is wrong with any other folder; the cache keeps nothing', async () => {
    const root = cacheRoot();
    const folder = await savedTinyCnn();
    expect((await addBackboneFolder(root, { folder: path.join(folder, 'model.json'), name: 'picked', preprocessing: 'unit', inputSize: null })).provenance.folder).toBe(folder);
    const add = (dir: string) => addBackboneFolder(root, { folder: dir, name: 'x', preprocessing: 'unit', inputSize: null });
    const tmp = (files: Record<string, string | Buffer> = {}) => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'smallset-not-tfjs-'));
      for (const [f, body] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
        writeFileSync(path.join(dir, f), body);
      }
      return dir;
    };

    const empty = tmp();
    await expect(add(empty)).rejects.toThrow(`${path.join(empty, 'model.json')} does not exist: ${empty} is not a TensorFlow.js model folder`);
    await expect(add(path.join(empty, 'missing'))).rejects.toThrow(`${path.join(empty, 'missing')} does not exist`);
    const saved = tmp({ 'saved_model.pb': 'x', 'variables/variables.index': 'x' });
    await expect(add(saved)).rejects.toThrow(`${path.join(saved, 'saved_model.pb')} is a TensorFlow SavedModel, not a TensorFlow.js model (model.json + weight files); convert it first`);
    const keras = tmp({ 'model.h5': 'x' });
    await expect(add(path.join(keras, 'model.h5'))).rejects.toThrow(/model\.h5 is a Keras model file, not a TensorFlow\.js model .*--input_format=keras/);
    await expect(add(tmp({ 'resnet.pth': 'x' }))).rejects.toThrow(/resnet\.pth is a PyTorch checkpoint/);
    const parent = tmp({ 'mobilenet/model.json': readFileSync(path.join(folder, 'model.json')) });
    await expect(add(parent)).rejects.toThrow(`${parent} has no model.json, but ${path.join(parent, 'mobilenet')} has one; give that folder.`);
    const notModel = tmp({ 'model.json': '{"name": "a package"}' });
    await expect(add(notModel)).rejects.toThrow(`${path.join(notModel, 'model.json')} is not a TensorFlow.js model (it needs "modelTopology" and "weightsManifest").`);

    // A truncated weight file, and a layer TensorFlow.js does not know (as in a TF-Hub KerasLayer export).
    const truncated = tmp({ 'model.json': readFileSync(path.join(folder, 'model.json')), 'weights.bin': readFileSync(path.join(folder, 'weights.bin')).subarray(0, 100) });
    await expect(add(truncated)).rejects.toThrow(/weights\.bin\) hold 100 bytes; its manifest describes \d+: the folder is incomplete/);
    const json = readFileSync(path.join(folder, 'model.json'), 'utf8').replace('"GlobalAveragePooling2D"', '"KerasLayer"');
    const unknown = tmp({ 'model.json': json, 'weights.bin': readFileSync(path.join(folder, 'weights.bin')) });
    await expect(add(unknown)).rejects.toThrow(new RegExp(`TensorFlow\\.js cannot load the layers-model in ${path.join(unknown, 'model.json').replace(/[.]/g, '\\.')}: .*KerasLayer`));
    expect((await listBackbones(root)).map((b) => b.name)).toEqual(['picked']);
    expect(readdirSync(root)).toEqual(['picked']);
    await expect(readBackbone(root, 'nope')).rejects.toThrow(/no backbone named "nope"/);
  });
});
