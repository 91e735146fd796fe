import { ApiError } from '../../shared/api/errors.js';
import type { SplitName } from '../../shared/api/common.js';
import type { ExportFormat, ExportLayout } from '../../shared/api/export.js';
import { classFolders, extensionOf, fileStem, outputName } from './file-names.js';
import type { SourceImage } from './sources.js';

/** One file to write: the original (`copy` null) or augmented copy `copy`. */
export interface PlannedOutput {
  readonly copy: number | null;
  /** Relative to the export folder, with `/`. */
  readonly file: string;
}

export interface PlannedSource {
  readonly image: SourceImage;
  readonly outputs: PlannedOutput[];
}

export interface ExportPlan {
  readonly sources: PlannedSource[];
  /** Every folder files go into, relative, with `/`. */
  readonly dirs: string[];
  readonly files: number;
}

export interface PlanOptions {
  readonly layout: ExportLayout;
  readonly format: ExportFormat;
  readonly copies: number;
  readonly originals: boolean;
  readonly balance: boolean;
  readonly augmentSplits: readonly SplitName[];
}

/**
 * Augmented copies of each image in one split. With `balance`, every class ends with as many
 * files as the largest class: each class's extra copies are spread evenly over its images, the
 * first images (in id order) taking one more when they do not divide evenly.
 */
function copiesInSplit(images: readonly SourceImage[], copies: number, originals: boolean, balance: boolean): Map<number, number> {
  const out = new Map<number, number>();
  if (!balance) {
    for (const img of images) out.set(img.id, copies);
    return out;
  }
  const byClass = new Map<string, SourceImage[]>();
  for (const img of images) {
    const list = byClass.get(img.className);
    if (list) list.push(img);
    else byClass.set(img.className, [img]);
  }
  const perImage = copies + (originals ? 1 : 0);
  const target = Math.max(0, ...[...byClass.values()].map((list) => list.length)) * perImage;
  for (const list of byClass.values()) {
    const needed = target - (originals ? list.length : 0);
    const base = Math.floor(needed / list.length);
    const extra = needed % list.length;
    list.forEach((img, k) => out.set(img.id, base + (k < extra ? 1 : 0)));
  }
  return out;
}

function copyList(n: number, original: boolean): (number | null)[] {
  return [...(original ? [null] : []), ...Array.from({ length: n }, (_v, k) => k)];
}

/**
 * File names in one folder: the original's name when it is free, else the name plus the image id,
 * checked case-insensitively so the export unpacks the same on every disk.
 */
function namesInFolder(entries: readonly { image: SourceImage; copies: (number | null)[] }[], ext: string): Map<number, string> {
  const base = new Map(entries.map((e) => [e.image.id, fileStem(e.image.relPath)]));
  for (let round = 0; round < 3; round++) {
    const owners = new Map<string, Set<number>>();
    for (const e of entries) {
      for (const c of e.copies) {
        const key = outputName(base.get(e.image.id)!, c, ext).toLowerCase();
        owners.set(key, (owners.get(key) ?? new Set()).add(e.image.id));
      }
    }
    const clashing = new Set([...owners.values()].filter((ids) => ids.size > 1).flatMap((ids) => [...ids]));
    if (clashing.size === 0) return base;
    for (const e of entries) {
      if (clashing.has(e.image.id)) base.set(e.image.id, `${fileStem(e.image.relPath)}_${round === 0 ? '' : 'i'}${e.image.id}`);
    }
  }
  const names = entries.map((e) => e.image.relPath).join(', ');
  throw new ApiError('conflict', `Could not give distinct file names to ${names}; rename one of these files.`);
}

/** Decides every file of an export and its name before any pixel work, so names never depend on timing. */
export function planExport(images: readonly SourceImage[], options: PlanOptions): ExportPlan {
  const ext = extensionOf(options.format);
  const folders = classFolders(images.map((i) => i.className));
  const augmented = new Set(options.augmentSplits);
  const copiesOf = new Map<number, number>();
  for (const split of new Set(images.map((i) => i.split))) {
    if (!augmented.has(split)) continue;
    const inSplit = images.filter((i) => i.split === split);
    for (const [id, n] of copiesInSplit(inSplit, options.copies, options.originals, options.balance)) copiesOf.set(id, n);
  }

  const byDir = new Map<string, { image: SourceImage; copies: (number | null)[] }[]>();
  for (const image of images) {
    const isAugmented = augmented.has(image.split);
    const copies = copyList(copiesOf.get(image.id) ?? 0, options.originals || !isAugmented);
    if (copies.length === 0) continue;
    const dir = options.layout === 'imagefolder' ? `${image.split}/${folders.get(image.className)!}` : 'images';
    const list = byDir.get(dir);
    if (list) list.push({ image, copies });
    else byDir.set(dir, [{ image, copies }]);
  }

  const outputsOf = new Map<number, PlannedOutput[]>();
  for (const [dir, entries] of byDir) {
    const names = namesInFolder(entries, ext);
    for (const e of entries) {
      outputsOf.set(
        e.image.id,
        e.copies.map((copy) => ({ copy, file: `${dir}/${outputName(names.get(e.image.id)!, copy, ext)}` })),
      );
    }
  }
  const sources = images.flatMap((image) => {
    const outputs = outputsOf.get(image.id);
    return outputs ? [{ image, outputs }] : [];
  });
  return {
    sources,
    dirs: [...byDir.keys()].sort(),
    files: sources.reduce((n, s) => n + s.outputs.length, 0),
  };
}
