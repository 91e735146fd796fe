import type { Command } from 'commander';
import { ApiError } from '../../shared/api/errors.js';
import { readPipelineFile } from '../../core/augment/pipeline-store.js';
import { writePreviewFiles } from '../../core/augment/preview-files.js';
import { numberOption, runCommand } from '../run-command.js';

interface PreviewFlags {
  pipeline: string;
  n: string;
  seed: string;
  size: string;
  format: string;
  out: string;
}

const FORMATS = ['jpeg', 'png', 'webp'] as const;

export function registerPreview(program: Command): void {
  program
    .command('preview')
    .description('Write augmented variants of one image, a grid of them and an each-op-alone strip.')
    .argument('<image-id>', 'library image id (see `smallset ls`)')
    .requiredOption('--pipeline <file>', 'pipeline JSON file')
    .option('--n <n>', 'number of variants', '9')
    .option('--seed <s>', 'pipeline seed', '0')
    .option('--size <px>', 'longest side of the preview', '384')
    .option('--format <fmt>', 'jpeg, png or webp', 'jpeg')
    .requiredOption('--out <dir>', 'folder to write into (created if needed)')
    .action(async (imageIdText: string, flags: PreviewFlags, cmd: Command) => {
      await runCommand(
        cmd,
        async ({ ctx, progress, signal }) => {
          const imageId = numberOption(imageIdText, 'image-id', { int: true, min: 1 })!;
          const n = numberOption(flags.n, 'n', { int: true, min: 1, max: 1000 })!;
          const seed = numberOption(flags.seed, 'seed', { int: true, min: 0, max: 2 ** 32 - 1 })!;
          const size = numberOption(flags.size, 'size', { int: true, min: 32, max: 4096 })!;
          const format = FORMATS.find((f) => f === flags.format);
          if (!format) throw new ApiError('invalid_input', `--format must be jpeg, png or webp, got "${flags.format}".`);
          const pipeline = await readPipelineFile(flags.pipeline);
          return writePreviewFiles(ctx, {
            imageId,
            pipeline,
            n,
            seed,
            size,
            format,
            outDir: flags.out,
            signal,
            onProgress: (p) => progress.update(p),
          });
        },
        (r) => `Wrote ${r.variants.length} variants, ${r.grid}, ${r.strip} and ${r.manifest}`,
      );
    });
}
