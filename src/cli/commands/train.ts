import type { Command } from 'commander';
import { lazyAction } from './lazy-action.js';

export interface TrainFlags {
  pipeline?: string;
  size?: string;
  epochs?: string;
  batchSize?: string;
  lr?: string;
  optimizer?: string;
  model?: string;
  l1?: string;
  l2?: string;
  dropout?: string;
  batchnorm?: boolean;
  earlyStopping?: string;
  monitor?: string;
  labelSmoothing?: string;
  mixup?: string;
  cutmix?: string;
  trainFraction?: string;
  seed?: string;
}

export function registerTrain(program: Command): void {
  program
    .command('resume')
    .description('Continue a failed or cancelled training run (killed, crashed, interrupted) from its last epoch checkpoint; Ctrl-C cancels.')
    .argument('<run>', 'run id (as `smallset train` printed it)')
    .action(lazyAction(() => import('../actions/train.js').then((m) => m.resumeAction)));
  program
    .command('train')
    .description('Train a classifier on a dataset in its own process; Ctrl-C cancels.')
    .argument('<dataset>', 'dataset name or id')
    .option('--pipeline <file>', 'augmentation pipeline JSON applied on the fly to training images')
    .option('--size <px>', 'training image size (default 64)')
    .option('--epochs <n>', 'epochs (default 20)')
    .option('--batch-size <n>', 'batch size (default 32)')
    .option('--lr <x>', 'learning rate (default: the optimizer’s usual)')
    .option('--optimizer <name>', 'adam, sgd or rmsprop (default adam)')
    .option('--model <kind>', 'cnn or mlp (default cnn)')
    .option('--l1 <x>', 'L1 weight penalty')
    .option('--l2 <x>', 'L2 weight penalty')
    .option('--dropout <x>', 'dropout rate before the classifier')
    .option('--batchnorm', 'batch normalization after each conv')
    .option('--early-stopping <n>', 'stop after N epochs without improvement, keeping the best weights')
    .option('--monitor <name>', 'what early stopping watches: valLoss (default) or valAcc')
    .option('--label-smoothing <x>', 'label smoothing (0–0.5)')
    .option('--mixup <alpha>', 'MixUp with Beta(alpha, alpha)')
    .option('--cutmix <alpha>', 'CutMix with Beta(alpha, alpha)')
    .option('--train-fraction <f>', 'train on this share of each class’s training images')
    .option('--seed <s>', 'seed of the split, initial weights, batch order and augmentation (default 0)')
    .action(lazyAction(() => import('../actions/train.js').then((m) => m.trainAction)));
}
