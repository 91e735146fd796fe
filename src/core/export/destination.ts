import { promises as fs, realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiError } from '../../shared/api/errors.js';
import type { Db } from '../db/open-db.js';
import { errnoOf, writeError } from './fs-errors.js';

export interface Destination {
  /** Absolute path of the folder the export becomes. */
  readonly out: string;
  readonly replace: boolean;
}

/** Symlinks resolved for the part of `p` that exists, so `inside` compares real locations. */
function realLocation(p: string): string {
  let existing = p;
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(realpathSync(existing), ...rest.reverse());
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) return p;
      rest.push(path.basename(existing));
      existing = parent;
    }
  }
}

/** True when `child` is `parent` or lies anywhere below it. */
export function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

async function entries(dir: string): Promise<string[] | null> {
  try {
    const stat = await fs.stat(dir);
    if (!stat.isDirectory()) throw new ApiError('invalid_input', `The destination "${dir}" is a file, not a folder.`);
    return await fs.readdir(dir);
  } catch (err) {
    if (err instanceof ApiError) throw err;
    if (errnoOf(err) === 'ENOENT') return null;
    throw writeError(err, `the destination "${dir}"`);
  }
}

function datasetRoots(db: Db): { name: string; root: string; real: string }[] {
  const rows = db.prepare('SELECT name, root FROM datasets ORDER BY id').all() as { name: string; root: string }[];
  return rows.map((r) => ({ ...r, real: realLocation(r.root) }));
}

/** Refuses a destination inside a library folder: originals are never written next to. */
export function refuseLibraryFolders(db: Db, out: string): void {
  const real = realLocation(out);
  for (const { name, root, real: realRoot } of datasetRoots(db)) {
    if (isInside(real, realRoot)) {
      throw new ApiError(
        'invalid_input',
        `The destination "${out}" is inside the folder of dataset "${name}" (${root}); exports never write among original images. Choose a folder outside it.`,
      );
    }
  }
}

/**
 * Checks a destination folder before any work: never inside a library folder, never around one
 * or the data folder (it would be replaced), never a non-empty folder unless `replace`, and never
 * a whole disk or home folder.
 */
export async function checkDestination(db: Db, dataDir: string, outPath: string, replace: boolean): Promise<Destination> {
  const out = path.resolve(outPath);
  refuseLibraryFolders(db, out);
  const real = realLocation(out);
  for (const { name, root, real: realRoot } of datasetRoots(db)) {
    if (isInside(realRoot, real)) {
      throw new ApiError('invalid_input', `The destination "${out}" holds the images of dataset "${name}" (${root}); choose a folder of its own.`);
    }
  }
  if (isInside(realLocation(dataDir), real)) {
    throw new ApiError('invalid_input', `The destination "${out}" holds Smallset Studio's data folder (${dataDir}); choose a folder of its own.`);
  }
  await sweepStaleStaging({ out, replace });
  const listing = await entries(out);
  if (listing && listing.length > 0) {
    if (!replace) {
      throw new ApiError('conflict', `The destination "${out}" is not empty. Choose an empty or new folder, or ask to replace it (--replace).`);
    }
    if (real === path.parse(real).root || real === realLocation(os.homedir())) {
      throw new ApiError('invalid_input', `Refusing to replace "${out}": it is a whole disk or home folder. Choose a folder of its own.`);
    }
  }
  return { out, replace };
}

/**
 * mkdir -p, one level at a time: Node's recursive mkdir never returns on some virtual file systems
 * (/proc), where this fails at once with the real reason.
 */
export async function makeFolders(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let d = dir; ; d = path.dirname(d)) {
    try {
      await fs.stat(d);
      break;
    } catch (err) {
      if (errnoOf(err) !== 'ENOENT' || path.dirname(d) === d) throw err;
      missing.push(d);
    }
  }
  for (const d of missing.reverse()) {
    await fs.mkdir(d).catch((err: unknown) => (errnoOf(err) === 'EEXIST' ? undefined : Promise.reject(err)));
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errnoOf(err) === 'EPERM';
  }
}

/**
 * Staging folders left beside `dest` by a process that died mid-export (kill -9, power cut) are
 * removed; a previous export moved aside just before such a death is put back where it was.
 */
export async function sweepStaleStaging(dest: Destination): Promise<void> {
  const parent = path.dirname(dest.out);
  const prefix = `.${path.basename(dest.out)}.smallset-tmp-`;
  const names = await fs.readdir(parent).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = /^(\d+)-/.exec(name.slice(prefix.length))?.[1];
    if (pid === undefined || processAlive(Number(pid))) continue;
    const full = path.join(parent, name);
    if (name.endsWith('-old') && (await entries(dest.out).catch(() => [])) === null) {
      await fs.rename(full, dest.out).catch(() => undefined);
    } else {
      await discardStaging(full);
    }
  }
}

/**
 * A hidden folder beside the destination (same disk, so the final rename is atomic) where the
 * export is built; creates the destination's parent folders when needed. Its name carries our
 * process id, so a later export can tell a dead process's leftovers from a running export's.
 */
export async function createStaging(dest: Destination): Promise<string> {
  const parent = path.dirname(dest.out);
  try {
    await makeFolders(parent);
    return await fs.mkdtemp(path.join(parent, `.${path.basename(dest.out)}.smallset-tmp-${process.pid}-`));
  } catch (err) {
    throw writeError(err, `into "${parent}"`);
  }
}

/** Puts the finished staging folder in place of the destination, replacing it only when allowed. */
export async function commitStaging(staging: string, dest: Destination): Promise<void> {
  let old: string | null = null;
  const listing = await entries(dest.out);
  try {
    if (listing && listing.length === 0) await fs.rmdir(dest.out);
    else if (listing) {
      if (!dest.replace) throw new ApiError('conflict', `The destination "${dest.out}" was filled by something else during the export; nothing was replaced.`);
      old = `${staging}-old`;
      await fs.rename(dest.out, old);
    }
    await fs.rename(staging, dest.out);
  } catch (err) {
    if (old) await fs.rename(old, dest.out).catch(() => undefined);
    throw writeError(err, `the destination "${dest.out}"`);
  }
  if (old) await fs.rm(old, { recursive: true, force: true });
}

/** Removes a staging folder and everything in it; never throws (it runs while another error is on its way). */
export async function discardStaging(staging: string): Promise<void> {
  await fs.rm(staging, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
}

/**
 * Builds a folder in staging and moves it into place: on failure or cancel the staging folder is
 * removed and the destination is left as it was.
 */
export async function writeFolder<T>(dest: Destination, build: (staging: string) => Promise<T>): Promise<T> {
  const staging = await createStaging(dest);
  try {
    const result = await build(staging);
    await commitStaging(staging, dest);
    return result;
  } finally {
    await discardStaging(staging);
  }
}
