import type { Command } from 'commander';
import { lazyAction } from './lazy-action.js';

export interface PreviewFlags {
  pipeline: string;
  n: string;
  seed: string;
  size: string;
  format: string;
  out: string;
}

export function registerPreview(program: Command): void {
  program
    .command('preview')
    .description('Write augmented variants of one image, a grid of them and an each-op-alone strip.')
    .argument('<image-id>', 'library image id (see `smallset ls`)')
    .requiredOption('--pipeline <file>', 'pipeline JSON file')
    .option('--n <n>', 'number of variants', '9')
    .option('--seed <s>', 'pipeline seed', '0')
    .option('--size <px>', 'longest side of the preview', '384')
    .option('--format <fmt>', 'jpeg, png or webp', 'jpeg')
    .requiredOption('--out <dir>', 'folder to write into (created if needed)')
    .action(lazyAction(() => import('../actions/preview.js').then((m) => m.previewAction)));
}
