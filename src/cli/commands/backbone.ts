import type { Command } from 'commander';
import { ApiError } from '../../shared/api/errors.js';
import { backbonePreprocessing, downloadableBackbones, type BackboneInfo, type DownloadableBackbone } from '../../shared/api/transfer.js';
import { call, callJob } from '../call-job.js';
import { resolveDataset } from '../dataset-arg.js';
import { numberOption, runCommand } from '../run-command.js';

function line(b: BackboneInfo): string {
  const from =
    b.source === 'trained'
      ? `trained on "${b.provenance.dataset}"${b.provenance.valAcc !== null ? ` (val ${(b.provenance.valAcc * 100).toFixed(1)}%)` : ''}`
      : b.source === 'download'
        ? `downloaded from ${b.provenance.url}`
        : `added from ${b.provenance.folder}`;
  const size = b.inputSize === null ? 'any size' : `${b.inputSize} px`;
  return `${b.name}  ${size}, ${b.preprocessing === 'symmetric' ? '[-1, 1]' : '[0, 1]'}, ${b.params.toLocaleString('en-US')} weights, ${(b.bytes / 1e6).toFixed(1)} MB, ${b.format}; ${from}`;
}

function describe(b: BackboneInfo): string {
  return `Backbone ${line(b)}\nIn ${b.path}`;
}

export function registerBackbone(program: Command): void {
  const cmd = program.command('backbone').description('Pretrained backbones for transfer learning (kept in the data folder).');

  cmd
    .command('list')
    .description('Backbones in the model cache')
    .action(async (_flags: unknown, c: Command) => {
      await runCommand(
        c,
        (env) => call(env, 'backbones.list', {}),
        (r) => (r.backbones.length ? r.backbones.map(line).join('\n') : 'No backbones yet: `smallset backbone add|train|download`.'),
      );
    });

  cmd
    .command('add')
    .description('Copy a local TensorFlow.js layers/graph model folder (model.json + weights) into the cache')
    .argument('<folder>', 'folder with model.json')
    .requiredOption('--name <name>', 'name of the backbone')
    .option('--preprocessing <unit|symmetric>', 'pixels to [0, 1] (unit) or [-1, 1] (symmetric, MobileNet)', 'unit')
    .option('--size <px>', 'input size, when the model does not fix it')
    .action(async (folder: string, flags: { name: string; preprocessing: string; size?: string }, c: Command) => {
      await runCommand(
        c,
        (env) => {
          const pre = backbonePreprocessing.safeParse(flags.preprocessing);
          if (!pre.success) throw new ApiError('invalid_input', `--preprocessing must be unit or symmetric; got "${flags.preprocessing}".`);
          return call(env, 'backbones.add', {
            folder,
            name: flags.name,
            preprocessing: pre.data,
            inputSize: numberOption(flags.size, 'size', { int: true, min: 8, max: 1024 }) ?? null,
          });
        },
        describe,
      );
    });

  cmd
    .command('train')
    .description("Train the studio's CNN on a labeled dataset and keep it as a backbone")
    .argument('<dataset>', 'dataset name or id')
    .requiredOption('--name <name>', 'name of the backbone')
    .option('--size <px>', 'image size', '32')
    .option('--epochs <n>', 'epochs', '10')
    .option('--seed <s>', 'seed', '0')
    .action(async (datasetText: string, flags: { name: string; size: string; epochs: string; seed: string }, c: Command) => {
      await runCommand(
        c,
        async (env) => {
          const dataset = await resolveDataset(env, datasetText);
          return callJob(env, 'backbones.train', {
            datasetId: dataset.id,
            name: flags.name,
            size: numberOption(flags.size, 'size', { int: true, min: 8, max: 512 })!,
            epochs: numberOption(flags.epochs, 'epochs', { int: true, min: 1, max: 1000 })!,
            seed: numberOption(flags.seed, 'seed', { int: true, min: 0, max: 2 ** 31 - 1 })!,
          });
        },
        describe,
      );
    });

  cmd
    .command('download')
    .description('Download a published backbone once (needs internet)')
    .argument('<model>', downloadableBackbones.join(', '))
    .option('--name <name>', 'name of the backbone (default: the model id)')
    .action(async (model: string, flags: { name?: string }, c: Command) => {
      await runCommand(
        c,
        (env) => {
          if (!(downloadableBackbones as readonly string[]).includes(model)) {
            throw new ApiError('invalid_input', `Unknown backbone "${model}"; downloadable: ${downloadableBackbones.join(', ')}. For another model, download its TensorFlow.js folder and use \`smallset backbone add\`.`);
          }
          return callJob(env, 'backbones.download', { model: model as DownloadableBackbone, ...(flags.name ? { name: flags.name } : {}) });
        },
        describe,
      );
    });

  cmd
    .command('remove')
    .description('Delete a backbone from the cache')
    .argument('<name>')
    .action(async (name: string, _flags: unknown, c: Command) => {
      await runCommand(
        c,
        (env) => call(env, 'backbones.remove', { name }),
        () => `Removed backbone "${name}".`,
      );
    });
}
