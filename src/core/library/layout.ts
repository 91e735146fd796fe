import type { SplitName } from '../../shared/api/common.js';

/** What a file's place in the folder says about it (the ImageFolder / Keras convention). */
export interface PathLabels {
  className: string | null;
  split: SplitName | null;
}

const splitFolders: Record<string, SplitName> = {
  train: 'train',
  val: 'val',
  valid: 'val',
  validation: 'val',
  test: 'test',
};

/**
 * `class/…` gives a class; `train|val|valid|validation|test/class/…` gives a split and a class;
 * a file directly in the root, or directly in a split folder, is unlabeled.
 * Split folder names match case-insensitively because people type `Train` and `VALID`.
 */
export function labelsFromPath(relPath: string): PathLabels {
  const parts = relPath.split('/');
  if (parts.length < 2) return { className: null, split: null };
  const split = splitFolders[parts[0]!.toLowerCase()] ?? null;
  if (split) return { className: parts.length >= 3 ? parts[1]! : null, split };
  return { className: parts[0]!, split: null };
}
