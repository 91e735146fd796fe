import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createContext } from '../../context.js';
import { dispatch } from '../../transport/dispatch.js';
import type { ImportResult } from '../../../shared/api/library.js';
import { loadAverage, mainThreadCpuMs } from './import-stages.js';

export interface ImportThroughput {
  images: number;
  /** Images per wall-clock second, one entry per repetition. */
  imgPerSec: number[];
  /** This process's CPU time (all threads) per image in milliseconds, one entry per repetition. */
  cpuMsPerImage: number[];
  /** CPU time of the main thread alone per image (null off Linux), one entry per repetition. */
  mainThreadMsPerImage: (number | null)[];
  /** 1-minute load average at the end of each repetition. */
  load: number[];
}

/**
 * Times `datasets.import` of a folder (hash, metadata, thumbnail, quality measures, database) the
 * way the app calls it, each repetition into a fresh data folder so no thumbnail is cached.
 */
export async function measureImport(folder: string, repetitions: number, signal?: AbortSignal): Promise<ImportThroughput> {
  const result: ImportThroughput = { images: 0, imgPerSec: [], cpuMsPerImage: [], mainThreadMsPerImage: [], load: [] };
  for (let r = 0; r < repetitions && !signal?.aborted; r++) {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'smallset-bench-import-'));
    const ctx = createContext(dataDir);
    try {
      const cpu = process.cpuUsage();
      const mainBefore = mainThreadCpuMs();
      const started = performance.now();
      const out = (await dispatch(ctx, 'datasets.import', { path: folder })) as ImportResult;
      const seconds = (performance.now() - started) / 1000;
      const used = process.cpuUsage(cpu);
      const mainAfter = mainThreadCpuMs();
      if (out.errors.length) throw new Error(`benchmark images failed to import: ${out.errors[0]!.path}: ${out.errors[0]!.reason}`);
      result.images = out.imported;
      result.imgPerSec.push(out.imported / seconds);
      result.cpuMsPerImage.push((used.user + used.system) / 1000 / out.imported);
      result.mainThreadMsPerImage.push(mainBefore === null || mainAfter === null ? null : (mainAfter - mainBefore) / out.imported);
      result.load.push(loadAverage());
    } finally {
      ctx.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return result;
}
