import type { Command } from 'commander';
import { sampleDefaults } from '../../core/library/sample-defaults.js';
import { lazyAction } from './lazy-action.js';

export interface SampleFlags {
  classes?: string;
  perClass?: string;
  size?: string;
  seed?: string;
}

export function registerSample(program: Command): void {
  program
    .command('sample')
    .description('Write the generated shapes dataset (one folder per class, JPEGs) into a folder.')
    .argument('<dir>', 'folder to write into (created if needed)')
    .option('--classes <n>', `number of shape classes, 2 to 8 (default ${sampleDefaults.classes})`)
    .option('--per-class <n>', `images per class (default ${sampleDefaults.perClass})`)
    .option('--size <px>', `side of each square image (default ${sampleDefaults.size})`)
    .option('--seed <s>', `seed; the same options give byte-identical files (default ${sampleDefaults.seed})`)
    .action(lazyAction(() => import('../actions/sample.js').then((m) => m.sampleAction)));
}
