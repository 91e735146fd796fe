import type { Command } from 'commander';
import { lazyAction } from './lazy-action.js';

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('Import a folder as a dataset: class folders give classes, train/val/test folders give splits.')
    .argument('<folder>', 'folder of images (read in place, never modified)')
    .option('--name <name>', 'dataset name (default: the folder name)')
    .action(lazyAction(() => import('../actions/import.js').then((m) => m.importAction)));
}

export function registerRescan(program: Command): void {
  program
    .command('rescan')
    .description("Update a dataset from its folder: new, removed, changed and moved files.")
    .argument('<dataset>', 'dataset id or name')
    .action(lazyAction(() => import('../actions/import.js').then((m) => m.rescanAction)));
}
