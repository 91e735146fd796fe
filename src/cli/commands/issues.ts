import type { Command } from 'commander';
import { lazyAction } from './lazy-action.js';

export interface IssuesFlags {
  threshold?: string;
  mislabels: boolean;
  folds?: string;
  epochs?: string;
  size?: string;
  model?: string;
  seed?: string;
  patience?: string;
  fixLeaks?: boolean;
}

/** `smallset issues <dataset>`: near-duplicates, split leaks and likely mislabels of a dataset. */
export function registerIssues(program: Command): void {
  program
    .command('issues')
    .description('Data-quality issues of a dataset: near-duplicate groups, leaks across splits, likely mislabels (k-fold + confident learning)')
    .argument('<dataset>', 'dataset id or name')
    .option('--threshold <bits>', 'near-duplicate threshold in bits of a 64-bit perceptual hash (0–24, default 10; saved for the dataset): every two images of a group are within it and share their colours')
    .option('--no-mislabels', 'skip the k-fold mislabel check and list the suspects found before')
    .option('--folds <n>', 'cross-validation folds (default 5)')
    .option('--epochs <n>', 'most epochs per fold; early stopping usually ends sooner (default 20)')
    .option('--patience <n>', 'epochs without improvement before a fold stops; 0 trains all epochs (default 3)')
    .option('--size <px>', 'input size of the fold models (default 32)')
    .option('--model <kind>', 'cnn or mlp (default cnn)')
    .option('--seed <n>', 'seed of folds and models (default 0)')
    .option('--fix-leaks', 'move every leaking duplicate group to one split before reporting')
    .action(lazyAction(() => import('../actions/issues.js').then((m) => m.issuesAction)));
}
