import { promises as fs, type Dirent } from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../shared/api/errors.js';
import type { FileError } from '../../shared/api/common.js';
import { hasImageExtension } from './image-formats.js';
import { mapPool } from './pool.js';

/** One image file found under a dataset root. `problem` is set when it could not even be stat'ed. */
export interface FoundFile {
  /** Relative to the root, always with `/`. */
  relPath: string;
  absPath: string;
  size: number;
  mtimeMs: number;
  problem?: string;
}

export interface WalkResult {
  files: FoundFile[];
  /** Folders that could not be read and symbolic-link loops: not images, so they get no rows. */
  errors: FileError[];
}

/** Resolves and checks a folder the user gave us, with errors that name it. */
export async function resolveRoot(folder: string): Promise<string> {
  const abs = path.resolve(folder);
  let stat;
  try {
    stat = await fs.stat(abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new ApiError('not_found', `The folder "${abs}" does not exist.`);
    if (code === 'EACCES' || code === 'EPERM') throw new ApiError('io_error', `The folder "${abs}" cannot be opened: permission denied.`);
    throw new ApiError('io_error', `The folder "${abs}" cannot be opened: ${(err as Error).message}`);
  }
  if (!stat.isDirectory()) {
    throw new ApiError('invalid_input', `"${abs}" is a file, not a folder: choose the folder that holds your images.`);
  }
  return fs.realpath(abs);
}

const byName = (a: Dirent, b: Dirent) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function errnoReason(err: unknown, what: string): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return `permission denied: cannot read this ${what}`;
  if (code === 'ELOOP') return 'symbolic link loop: the link points back to itself';
  if (code === 'ENOENT') return 'broken symbolic link: its target does not exist';
  return `cannot read this ${what}: ${(err as Error).message}`;
}

interface PendingDir {
  abs: string;
  rel: string;
  /** Real paths of this folder and its ancestors, to recognise a link that leads back up. */
  chain: Map<string, string>;
}

/**
 * Files stat'ed at once. One at a time, each stat waits out a round trip through libuv's pool (or,
 * on a network share, to the server) before the next starts; a few in flight overlap those waits.
 */
const STATS_IN_FLIGHT = 16;

function cancelledScan(): never {
  throw new ApiError('cancelled', 'The folder scan was cancelled.');
}

/**
 * Lists every image file under `root`, sorted by relative path so results are deterministic.
 * Hidden entries (.git, .DS_Store, ._AppleDouble) are skipped. Symbolic links are followed; a link
 * to a folder that is an ancestor of itself is reported as a loop, and a folder reached twice
 * through different links is walked once.
 */
export async function walkFolder(
  root: string,
  opts: { signal?: AbortSignal; onFound?: (count: number) => void } = {},
): Promise<WalkResult> {
  const files: FoundFile[] = [];
  const errors: FileError[] = [];
  const seenDirs = new Set<string>([root]);
  const stack: PendingDir[] = [{ abs: root, rel: '', chain: new Map([[root, '.']]) }];

  while (stack.length) {
    if (opts.signal?.aborted) cancelledScan();
    const dir = stack.pop()!;
    let entries: Dirent[];
    try {
      entries = await fs.readdir(dir.abs, { withFileTypes: true });
    } catch (err) {
      errors.push({ path: dir.rel || '.', reason: errnoReason(err, 'folder') });
      continue;
    }
    entries.sort(byName);
    const subdirs: PendingDir[] = [];
    const images: { abs: string; rel: string }[] = [];
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const abs = path.join(dir.abs, entry.name);
      const rel = dir.rel ? `${dir.rel}/${entry.name}` : entry.name;
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const target = await fs.stat(abs);
          isDir = target.isDirectory();
          isFile = target.isFile();
        } catch (err) {
          if (hasImageExtension(entry.name)) files.push({ relPath: rel, absPath: abs, size: 0, mtimeMs: 0, problem: errnoReason(err, 'file') });
          else errors.push({ path: rel, reason: errnoReason(err, 'link') });
          continue;
        }
      }
      if (isDir) {
        let real: string;
        try {
          real = await fs.realpath(abs);
        } catch (err) {
          errors.push({ path: rel, reason: errnoReason(err, 'folder') });
          continue;
        }
        const ancestor = dir.chain.get(real);
        if (ancestor !== undefined) {
          errors.push({ path: rel, reason: `symbolic link loop: leads back to "${ancestor}", skipped` });
          continue;
        }
        if (seenDirs.has(real)) continue;
        seenDirs.add(real);
        subdirs.push({ abs, rel, chain: new Map(dir.chain).set(real, rel) });
      } else if (isFile && hasImageExtension(entry.name)) {
        images.push({ abs, rel });
      }
    }
    let stated = 0;
    const found = await mapPool(images, STATS_IN_FLIGHT, async ({ abs, rel }): Promise<FoundFile> => {
      try {
        const stat = await fs.stat(abs);
        return { relPath: rel, absPath: abs, size: stat.size, mtimeMs: stat.mtimeMs };
      } catch (err) {
        return { relPath: rel, absPath: abs, size: 0, mtimeMs: 0, problem: errnoReason(err, 'file') };
      } finally {
        opts.onFound?.(files.length + ++stated);
      }
    });
    if (opts.signal?.aborted) cancelledScan();
    files.push(...found);
    // Reverse so the stack pops subfolders in name order.
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]!);
  }
  files.sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
  return { files, errors };
}
