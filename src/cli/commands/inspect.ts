import type { Command } from 'commander';
import { lazyAction } from './lazy-action.js';

export function registerStats(program: Command): void {
  program
    .command('stats')
    .description('Datasets with their image, class, split and error counts.')
    .argument('[dataset]', 'dataset id or name (default: all)')
    .action(lazyAction(() => import('../actions/inspect.js').then((m) => m.statsAction)));
}

export interface LsFlags {
  class?: string;
  split?: string;
  unlabeled?: boolean;
  limit?: string;
}

export function registerLs(program: Command): void {
  program
    .command('ls')
    .description('List the images of a dataset (id, path, class, split).')
    .argument('<dataset>', 'dataset id or name')
    .option('--class <name>', 'only images of this class')
    .option('--split <split>', 'only train, val or test')
    .option('--unlabeled', 'only images without a class')
    .option('--limit <n>', 'at most this many images')
    .action(lazyAction(() => import('../actions/inspect.js').then((m) => m.lsAction)));
}
