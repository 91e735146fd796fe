import type { Command } from 'commander';
import { lazyAction } from './lazy-action.js';

export function registerLabel(program: Command): void {
  program
    .command('label')
    .description('Give images a class (created in their dataset if it does not exist yet).')
    .argument('<image-id...>', 'library image ids (see `smallset ls`)')
    .requiredOption('--class <name>', 'class name')
    .action(lazyAction(() => import('../actions/label.js').then((m) => m.labelAction)));
}

export interface SplitFlags {
  train: string;
  val: string;
  test: string;
  seed?: string;
}

export function registerSplit(program: Command): void {
  program
    .command('split')
    .description('Stratified, seeded train/val/test split; images added later keep it stable.')
    .argument('<dataset>', 'dataset id or name')
    .requiredOption('--train <f>', 'fraction for training, e.g. 0.7')
    .requiredOption('--val <f>', 'fraction for validation')
    .requiredOption('--test <f>', 'fraction for testing')
    .option('--seed <s>', 'seed (default 0)')
    .action(lazyAction(() => import('../actions/label.js').then((m) => m.splitAction)));
}
