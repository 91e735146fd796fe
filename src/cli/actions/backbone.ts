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

export async function listBackbonesAction(_flags: unknown, c: Command): Promise<void> {
  await runCommand(
    c,
    (env) => call(env, 'backbones.list', {}),
    (r) => (r.backbones.length ? r.backbones.map(line).join('\n') : 'No backbones yet: `smallset backbone add|train|download`.'),
  );
}

export async function addBackboneAction(folder: string, flags: { name: string; preprocessing: string; size?: string }, c: Command): Promise<void> {
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
}

export async function trainBackboneAction(datasetText: string, flags: { name: string; size: string; epochs: string; seed: string }, c: Command): Promise<void> {
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
}

export async function downloadBackboneAction(model: string, flags: { name?: string }, c: Command): Promise<void> {
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
}

export async function removeBackboneAction(name: string, _flags: unknown, c: Command): Promise<void> {
  await runCommand(
    c,
    (env) => call(env, 'backbones.remove', { name }),
    () => `Removed backbone "${name}".`,
  );
}
