import type { Command } from 'commander';
import { downloadableBackbones } from '../../shared/api/names.js';
import { lazyAction } from './lazy-action.js';

export function registerBackbone(program: Command): void {
  const cmd = program.command('backbone').description('Pretrained backbones for transfer learning (kept in the data folder).');

  cmd
    .command('list')
    .description('Backbones in the model cache')
    .action(lazyAction(() => import('../actions/backbone.js').then((m) => m.listBackbonesAction)));

  cmd
    .command('add')
    .description('Copy a local TensorFlow.js layers/graph model folder (model.json + weights) into the cache')
    .argument('<folder>', 'folder with model.json')
    .requiredOption('--name <name>', 'name of the backbone')
    .option('--preprocessing <unit|symmetric>', 'pixels to [0, 1] (unit) or [-1, 1] (symmetric, MobileNet)', 'unit')
    .option('--size <px>', 'input size, when the model does not fix it')
    .action(lazyAction(() => import('../actions/backbone.js').then((m) => m.addBackboneAction)));

  cmd
    .command('train')
    .description("Train the studio's CNN on a labeled dataset and keep it as a backbone")
    .argument('<dataset>', 'dataset name or id')
    .requiredOption('--name <name>', 'name of the backbone')
    .option('--size <px>', 'image size', '32')
    .option('--epochs <n>', 'epochs', '10')
    .option('--seed <s>', 'seed', '0')
    .action(lazyAction(() => import('../actions/backbone.js').then((m) => m.trainBackboneAction)));

  cmd
    .command('download')
    .description('Download a published backbone once (needs internet)')
    .argument('<model>', downloadableBackbones.join(', '))
    .option('--name <name>', 'name of the backbone (default: the model id)')
    .action(lazyAction(() => import('../actions/backbone.js').then((m) => m.downloadBackboneAction)));

  cmd
    .command('remove')
    .description('Delete a backbone from the cache')
    .argument('<name>')
    .action(lazyAction(() => import('../actions/backbone.js').then((m) => m.removeBackboneAction)));
}
