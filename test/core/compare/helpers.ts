import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createContext, type AppContext } from '../../../src/core/context.js';
import { importFolder } from '../../../src/core/library/import-folder.js';
import { writeSampleDataset } from '../../../src/core/library/sample-dataset.js';

/** A library in a temp dir holding the generated shapes sample, small enough to train in seconds. */
export async function tinyLibrary(opts: { classes?: number; perClass?: number } = {}): Promise<{ ctx: AppContext; dir: string; datasetId: number }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'smallset-compare-'));
  const images = path.join(dir, 'images');
  await writeSampleDataset(images, { classes: opts.classes ?? 2, perClass: opts.perClass ?? 10, size: 24, seed: 3 });
  const ctx = createContext(path.join(dir, 'data'));
  const imported = await importFolder(ctx, { path: images, name: 'tiny' });
  return { ctx, dir, datasetId: imported.datasetId };
}

/** The smallest training that still exercises everything: a 16 px CNN, few filters' worth of work. */
export const tinySettings = { epochs: 2, size: 16, concurrency: 1 } as const;
