import type { Command } from 'commander';
import { pipelineExportFormats } from '../../shared/api/names.js';
import { lazyAction } from './lazy-action.js';

export interface ExportFlags {
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
    .action(lazyAction(() => import('../actions/export.js').then((m) => m.exportAction)));

  program
    .command('export-model')
    .description("Write a finished run's model (TensorFlow.js layers format) with labels.json and a README on loading it.")
    .argument('<run-id>', 'training run id (printed by `smallset train`)')
    .requiredOption('--out <dir>', 'destination folder (new or empty, unless --replace)')
    .option('--replace', 'replace a non-empty destination folder')
    .action(lazyAction(() => import('../actions/export.js').then((m) => m.exportModelAction)));

  program
    .command('export-pipeline')
    .description('Check a pipeline file and write it into a folder as JSON and/or Python for Keras, Albumentations or torchvision.')
    .argument('<file>', 'pipeline JSON file')
    .requiredOption('--out <dir>', 'folder to write into (created if needed)')
    .option('--formats <list>', `comma-separated: ${pipelineExportFormats.join(', ')}`, 'json')
    .option('--name <name>', 'file name without extension', 'pipeline')
    .option('--image-size <px>', 'image side written into code for ops that need pixel sizes', '224')
    .option('--replace', 'overwrite files of the same name')
    .action(lazyAction(() => import('../actions/export.js').then((m) => m.exportPipelineAction)));
}
