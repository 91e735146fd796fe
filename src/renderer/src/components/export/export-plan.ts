import type { DatasetSummary } from '../../../../shared/api/library.js';
import type { RunSummary } from '../../../../shared/api/train.js';
import { BUILTIN_NONE, BUILTIN_STANDARD, type DatasetOptions } from '../../state/export.svelte.js';

/** Roughly how many files a dataset export writes, from the split counts (unlabeled images are left out by the engine). */
export function estimateFiles(o: DatasetOptions, dataset: DatasetSummary): number {
  const augmented = o.pipeline !== BUILTIN_NONE;
  let files = 0;
  for (const s of o.splits) {
    const n = dataset.splits[s] ?? 0;
    const aug = augmented && o.augmentSplits.includes(s);
    files += aug ? n * (o.copies + (o.originals ? 1 : 0)) : n;
  }
  return files;
}

/** A pipeline choice as the person reads it: the built-in ones by name, saved ones quoted. */
export function pipelineLabel(source: string): string {
  if (source === BUILTIN_STANDARD) return 'Standard';
  if (source === BUILTIN_NONE) return 'None';
  return `“${source}”`;
}

/** "augmented on Sample shapes · 05/12/2026, 14:02 · val acc 71.3%" */
export function runLabel(r: RunSummary, datasets: readonly DatasetSummary[]): string {
  const acc = r.valAcc === null ? '' : ` · val acc ${(r.valAcc * 100).toFixed(1)}%`;
  const ds = datasets.find((d) => d.id === r.datasetId)?.name ?? `dataset ${r.datasetId}`;
  return `${r.arm ?? 'run'} on ${ds} · ${new Date(r.finishedAt ?? r.createdAt).toLocaleString()}${acc}`;
}
