import type { Command } from 'commander';
import { presetIds } from '../../shared/api/names.js';
import { lazyAction } from './lazy-action.js';

export interface CompareFlags {
  arms: string;
  pipeline?: string;
  repeats?: string;
  fractions?: string;
  epochs?: string;
  size?: string;
  seed?: string;
  concurrency?: string;
  baseline?: string;
  name?: string;
  report?: string;
  backbone?: string;
}

export function registerCompare(program: Command): void {
  program
    .command('compare')
    .description('Train a paired comparison (arms × repeats × training fractions) and print what helped.')
    .argument('<dataset>', 'dataset name or id')
    .requiredOption('--arms <file|preset>', `arms JSON file, or a preset: ${presetIds.join(', ')}`)
    .option('--pipeline <file>', 'pipeline JSON for a preset (default: a mild built-in pipeline)')
    .option('--repeats <n>', 'repeats (seeds); every arm runs once per repeat', '3')
    .option('--fractions <list>', 'shares of the training split, e.g. 0.1,0.25,0.5,1')
    .option('--epochs <n>', 'epochs per run', '20')
    .option('--size <px>', 'image size the model trains at')
    .option('--seed <s>', 'base seed of the repeats', '0')
    .option('--concurrency <n>', 'runs at once (default: half the cores)')
    .option('--baseline <arm>', 'arm the others are compared with (default: the first)')
    .option('--name <name>', 'name of the comparison')
    .option('--report <dir>', 'also write the HTML, JSON and CSV report into this folder')
    .option('--backbone <name>', 'backbone of the transfer preset (see `smallset backbone list`); without --size, runs use its input size')
    .action(lazyAction(() => import('../actions/compare.js').then((m) => m.compareAction)));
}
