import envPaths from 'env-paths';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

/** --data DIR, then SMALLSET_DATA, then the platform's data folder (XDG on Linux). */
export function resolveDataDir(explicit?: string): string {
  const dir = explicit ?? process.env.SMALLSET_DATA ?? envPaths('smallset', { suffix: '' }).data;
  return path.resolve(dir);
}

/** Where each kind of derived file lives inside the data dir. */
export function dataPaths(dataDir: string) {
  return {
    root: dataDir,
    db: path.join(dataDir, 'library.db'),
    thumbs: path.join(dataDir, 'thumbs'),
    decoded: path.join(dataDir, 'cache', 'decoded'),
    models: path.join(dataDir, 'models'),
    runs: path.join(dataDir, 'runs'),
    samples: path.join(dataDir, 'samples'),
    backbones: path.join(dataDir, 'backbones'),
  };
}
export type DataPaths = ReturnType<typeof dataPaths>;

export function ensureDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}
