import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createContext } from '../../context.js';
import { dispatch } from '../../transport/dispatch.js';
import { photoLikeJpeg } from '../../library/bench/photo-like.js';
import { clearPreviewMemory } from '../preview-source.js';
import type { PipelineJson } from '../pipeline.js';

export interface PreviewLatency {
  /** First call: the original decoded (shrink-on-load) and cached. */
  readonly firstMs: number;
  /** Later calls with the decoded source cached. */
  readonly warmMs: number[];
  /** Calls after dropping the in-memory cache: the decoded source comes from the disk cache. */
  readonly diskCacheMs: number[];
}

/**
 * Times `augment.preview` (9 variants + grid, through dispatch) on a photo-like 2000×1500 JPEG
 * imported into a fresh library.
 */
export async function measurePreview(pipeline: PipelineJson, calls: number, signal?: AbortSignal): Promise<PreviewLatency> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'smallset-bench-preview-'));
  const ctx = createContext(path.join(dir, 'data'));
  try {
    const folder = path.join(dir, 'photos', 'photo');
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'big.jpg'), await photoLikeJpeg(7, 2000, 1500));
    await dispatch(ctx, 'datasets.import', { path: path.join(dir, 'photos') });
    const { images } = (await dispatch(ctx, 'images.query', { datasetId: 1 })) as { images: { id: number }[] };
    const imageId = images[0]!.id;
    const call = async (seed: number) => {
      const t0 = performance.now();
      await dispatch(ctx, 'augment.preview', { imageId, pipeline, n: 9, seed, grid: true });
      return performance.now() - t0;
    };
    clearPreviewMemory();
    const firstMs = await call(0);
    const warmMs: number[] = [];
    for (let i = 1; i <= calls; i++) {
      signal?.throwIfAborted();
      warmMs.push(await call(i));
    }
    const diskCacheMs: number[] = [];
    for (let i = 1; i <= Math.max(1, Math.floor(calls / 3)); i++) {
      clearPreviewMemory();
      diskCacheMs.push(await call(1000 + i));
    }
    return { firstMs, warmMs, diskCacheMs };
  } finally {
    ctx.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
