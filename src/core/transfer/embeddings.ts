import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import type { BackboneInfo } from '../../shared/api/transfer.js';
import type { AugmentHook } from '../train/data/augment-hook.js';
import { imageTensor } from '../train/data/tensors.js';
import type { RunSample } from '../train/data/samples.js';

/** Something that turns a [n, size, size, 3] batch in [0, 1] into [n, d] embeddings. */
export type Embedder = (x: tf.Tensor4D) => tf.Tensor2D;

/** Cache folder of one backbone's plain embeddings, keyed by its file hashes (a replaced backbone never reuses old ones). */
export function embeddingDir(cacheRoot: string, info: BackboneInfo, size: number): string {
  const id = createHash('sha256').update(JSON.stringify(Object.entries(info.provenance.sha256).sort())).digest('hex').slice(0, 16);
  return path.join(cacheRoot, `${info.name}-${id}`, String(size));
}

async function readCached(file: string): Promise<Float32Array | null> {
  try {
    const buf = await readFile(file);
    return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  } catch {
    return null;
  }
}

async function writeCached(file: string, v: Float32Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  await rename(tmp, file);
}

async function embedBatch(embed: Embedder, pixels: readonly Uint8Array[], size: number): Promise<Float32Array[]> {
  const x = imageTensor(pixels, size);
  const y = embed(x);
  const [n, d] = y.shape;
  const flat = (await y.data()) as Float32Array;
  x.dispose();
  y.dispose();
  return Array.from({ length: n }, (_, i) => flat.slice(i * d, (i + 1) * d));
}

export interface EmbedOptions {
  embed: Embedder;
  size: number;
  decoded: ReadonlyMap<number, Uint8Array>;
  /** Plain embeddings are cached here across runs (null: no disk cache). */
  cacheDir: string | null;
  batchSize?: number;
  onBatch?: (done: number, total: number) => void;
}

/** Plain (unaugmented) embeddings of the samples, read from the cache where present. */
export async function plainEmbeddings(samples: readonly RunSample[], opts: EmbedOptions): Promise<Map<number, Float32Array>> {
  const out = new Map<number, Float32Array>();
  const missing: RunSample[] = [];
  const fileOf = (s: RunSample) => path.join(opts.cacheDir!, `${s.key.replace(/[^\w-]/g, '_')}.f32`);
  for (const s of samples) {
    if (out.has(s.id)) continue;
    const cached = opts.cacheDir ? await readCached(fileOf(s)) : null;
    if (cached) out.set(s.id, cached);
    else missing.push(s);
  }
  const bs = opts.batchSize ?? 32;
  for (let i = 0; i < missing.length; i += bs) {
    const batch = missing.slice(i, i + bs);
    const rows = await embedBatch(opts.embed, batch.map((s) => opts.decoded.get(s.id)!), opts.size);
    for (let j = 0; j < batch.length; j++) {
      out.set(batch[j]!.id, rows[j]!);
      if (opts.cacheDir) await writeCached(fileOf(batch[j]!), rows[j]!);
    }
    opts.onBatch?.(Math.min(i + bs, missing.length), missing.length);
    await new Promise((r) => setImmediate(r));
  }
  return out;
}

/** Embeddings of augmented copies 1..K of each training image (copy k draws the pipeline as epoch k − 1 would). */
export async function augmentedEmbeddings(samples: readonly RunSample[], copies: number, augment: AugmentHook, opts: EmbedOptions): Promise<Float32Array[][]> {
  const out: Float32Array[][] = [];
  const bs = opts.batchSize ?? 32;
  for (let k = 0; k < copies; k++) {
    const rows: Float32Array[] = [];
    for (let i = 0; i < samples.length; i += bs) {
      const batch = samples.slice(i, i + bs);
      const pixels = await augment({ samples: batch.map((s) => ({ imageId: s.id, pixels: opts.decoded.get(s.id)! })), size: opts.size, epoch: k });
      rows.push(...(await embedBatch(opts.embed, pixels, opts.size)));
      opts.onBatch?.(k * samples.length + Math.min(i + bs, samples.length), copies * samples.length);
    }
    out.push(rows);
  }
  return out;
}
