import type { Command } from 'commander';
import { splitName, type SplitName } from '../../shared/api/common.js';
import { ApiError } from '../../shared/api/errors.js';
import { exportFit, exportFormat, exportLayout, pipelineExportFormat } from '../../shared/api/export.js';
import { readPipelineFile } from '../../core/augment/pipeline-store.js';
import { call, callJob } from '../call-job.js';
import { resolveDataset } from '../dataset-arg.js';
import { numberOption, runCommand } from '../run-command.js';

interface ExportFlags {
  pipeline?: string;
  copies: string;
  out: string;
  size?: string;
  fit: string;
  format: string;
  quality: string;
  seed: string;
  layout: string;
  originals: boolean;
  balance?: boolean;
  replace?: boolean;
  splits: string;
  augmentSplits: string;
}

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

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('Write an augmented copy of a dataset (ImageFolder or flat + CSV) with manifest.csv/.jsonl and a README dataset card.')
    .argument('<dataset>', 'dataset id or name')
    .option('--pipeline <file>', 'pipeline JSON file (needed for copies)')
    .option('--copies <n>', 'augmented copies per image of an augmented split', '1')
    .requiredOption('--out <dir>', 'destination folder (new or empty, unless --replace)')
    .option('--size <px>', 'output side in pixels (default: as the pipeline leaves it)')
    .option('--fit <fit>', 'how images meet --size: cover (centre crop), fill (stretch) or inside (keep aspect)', 'cover')
    .option('--format <fmt>', 'jpeg, png or webp', 'jpeg')
    .option('--quality <q>', 'JPEG / WebP quality 1–100', '90')
    .option('--seed <s>', 'pipeline seed', '0')
    .option('--layout <layout>', 'imagefolder (split/class/file) or flat (images/ + labels.csv)', 'imagefolder')
    .option('--no-originals', 'leave the originals out of augmented splits')
    .option('--balance', 'give smaller classes more copies so every class has as many files')
    .option('--replace', 'replace a non-empty destination folder')
    .option('--splits <list>', 'splits to export', 'train,val,test')
    .option('--augment-splits <list>', 'splits that get augmented copies (or none)', 'train')
    .action(async (datasetArg: string, flags: ExportFlags, cmd: Command) => {
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
    });

  program
    .command('export-model')
    .description("Write a finished run's model (TensorFlow.js layers format) with labels.json and a README on loading it.")
    .argument('<run-id>', 'training run id (printed by `smallset train`)')
    .requiredOption('--out <dir>', 'destination folder (new or empty, unless --replace)')
    .option('--replace', 'replace a non-empty destination folder')
    .action(async (runId: string, flags: { out: string; replace?: boolean }, cmd: Command) => {
      await runCommand(
        cmd,
        (env) => call(env, 'export.model', { runId, out: flags.out, replace: Boolean(flags.replace) }),
        (r) => `Wrote ${r.files.join(', ')} to ${r.out}`,
      );
    });

  program
    .command('export-pipeline')
    .description('Check a pipeline file and write it into a folder as JSON and/or Python for Keras, Albumentations or torchvision.')
    .argument('<file>', 'pipeline JSON file')
    .requiredOption('--out <dir>', 'folder to write into (created if needed)')
    .option('--formats <list>', `comma-separated: ${pipelineExportFormat.options.join(', ')}`, 'json')
    .option('--name <name>', 'file name without extension', 'pipeline')
    .option('--image-size <px>', 'image side written into code for ops that need pixel sizes', '224')
    .option('--replace', 'overwrite files of the same name')
    .action(async (file: string, flags: { out: string; formats: string; name: string; imageSize: string; replace?: boolean }, cmd: Command) => {
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
    });
}
