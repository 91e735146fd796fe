import type { Command } from 'commander';
import { splitName, type SplitName } from '../../shared/api/common.js';
import { ApiError } from '../../shared/api/errors.js';
import { exportFit, exportFormat, exportLayout, pipelineExportFormat } from '../../shared/api/export.js';
import { readPipelineFile } from '../../core/augment/pipeline-store.js';
import { call, callJob } from '../call-job.js';
import { resolveDataset } from '../dataset-arg.js';
import { numberOption, runCommand } from '../run-command.js';
import type { ExportFlags } from '../commands/export.js';

function choice<T extends string>(value: string, name: string, options: readonly T[]): T {
  const found = options.find((o) => o === value);
  if (!found) throw new ApiError('invalid_input', `--${name} must be ${options.join(', ')}; got "${value}".`);
  return found;
}

/** "train,val" → ['train', 'val']; `none` (where allowed) → []. */
function splitList(value: string, name: string, allowNone: boolean): SplitName[] {
  if (allowNone && value.trim() === 'none') return [];
  const parts = value.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = parts.filter((p) => !splitName.safeParse(p).success);
  if (bad.length || parts.length === 0) {
    throw new ApiError('invalid_input', `--${name} takes a comma-separated list of train, val, test${allowNone ? ' (or none)' : ''}; got "${value}".`);
  }
  return [...new Set(parts)] as SplitName[];
}

function describeCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
}

export async function exportAction(datasetArg: string, flags: ExportFlags, cmd: Command): Promise<void> {
  await runCommand(
    cmd,
    async (env) => {
      const dataset = await resolveDataset(env, datasetArg);
      const size = numberOption(flags.size, 'size', { int: true, min: 8, max: 4096 });
      const result = await callJob(env, 'export.dataset', {
        datasetId: dataset.id,
        pipeline: flags.pipeline ? await readPipelineFile(flags.pipeline) : null,
        copies: numberOption(flags.copies, 'copies', { int: true, min: 0, max: 1000 })!,
        out: flags.out,
        size: size ?? null,
        fit: choice(flags.fit, 'fit', exportFit.options),
        format: choice(flags.format, 'format', exportFormat.options),
        quality: numberOption(flags.quality, 'quality', { int: true, min: 1, max: 100 })!,
        seed: numberOption(flags.seed, 'seed', { int: true, min: 0, max: 2 ** 32 - 1 })!,
        layout: choice(flags.layout, 'layout', exportLayout.options),
        originals: flags.originals,
        balance: Boolean(flags.balance),
        replace: Boolean(flags.replace),
        splits: splitList(flags.splits, 'splits', false),
        augmentSplits: splitList(flags.augmentSplits, 'augment-splits', true),
      });
      return { out: result.out, files: result.files, perClass: result.perClass, manifest: result.manifest, seconds: result.seconds };
    },
    (r) =>
      `Wrote ${r.files} images (${describeCounts(r.perClass)}) to ${r.out} in ${r.seconds.toFixed(1)} s (${(r.files / Math.max(r.seconds, 1e-3)).toFixed(0)} images/s); manifest: ${r.manifest}`,
  );
}

export async function exportModelAction(runId: string, flags: { out: string; replace?: boolean }, cmd: Command): Promise<void> {
  await runCommand(
    cmd,
    (env) => call(env, 'export.model', { runId, out: flags.out, replace: Boolean(flags.replace) }),
    (r) => `Wrote ${r.files.join(', ')} to ${r.out}`,
  );
}

export async function exportPipelineAction(file: string, flags: { out: string; formats: string; name: string; imageSize: string; replace?: boolean }, cmd: Command): Promise<void> {
  await runCommand(
    cmd,
    async (env) =>
      call(env, 'export.pipeline', {
        pipeline: await readPipelineFile(file),
        out: flags.out,
        name: flags.name,
        formats: flags.formats.split(',').map((f) => choice(f.trim(), 'formats', pipelineExportFormat.options)),
        imageSize: numberOption(flags.imageSize, 'image-size', { int: true, min: 8, max: 4096 })!,
        replace: Boolean(flags.replace),
      }),
    (r) => [`Wrote ${r.files.join(', ')}`, ...r.notes.map((n) => `  note: ${n}`)].join('\n'),
  );
}
