import path from 'node:path';
import { ApiError } from '../../shared/api/errors.js';
import type { ExportFormat } from '../../shared/api/export.js';

const RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/i;

/** A folder name that is valid on Windows, macOS and Linux; empty or reserved names become `fallback`. */
export function folderName(name: string, fallback: string): string {
  const cleaned = name
    .normalize('NFC')
    .replace(/\p{Cc}/gu, '_')
    .replace(/[<>:"/\\|?*]/g, '_')
    .replace(/^[\s.]+|[\s.]+$/g, '')
    .slice(0, 100);
  return cleaned && !RESERVED.test(cleaned) ? cleaned : fallback;
}

/** Folder per class; two classes that would share a folder (also on case-insensitive disks) are an error. */
export function classFolders(classNames: Iterable<string>): Map<string, string> {
  const folders = new Map<string, string>();
  const owner = new Map<string, string>();
  for (const name of [...new Set(classNames)].sort()) {
    const folder = folderName(name, 'class');
    const key = folder.toLowerCase();
    const other = owner.get(key);
    if (other !== undefined) {
      throw new ApiError('conflict', `Classes "${other}" and "${name}" would share the folder "${folder}"; rename one of them before exporting.`);
    }
    owner.set(key, name);
    folders.set(name, folder);
  }
  return folders;
}

/** The original's file name without extension, reduced to characters every file system accepts. */
export function fileStem(relPath: string): string {
  const base = path.posix.basename(relPath);
  const dot = base.lastIndexOf('.');
  const stem = (dot > 0 ? base.slice(0, dot) : base).normalize('NFC').replace(/[^\p{L}\p{N}._-]+/gu, '_').replace(/^[._]+/, '');
  return stem.slice(0, 80) || 'image';
}

export function extensionOf(format: ExportFormat): string {
  return format === 'jpeg' ? 'jpg' : format;
}

/** `stem.jpg` for an original, `stem_aug3.jpg` for copy 3. */
export function outputName(base: string, copy: number | null, ext: string): string {
  return copy === null ? `${base}.${ext}` : `${base}_aug${copy}.${ext}`;
}
