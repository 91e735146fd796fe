import type { Command } from 'commander';
import { ApiError } from '../../shared/api/errors.js';
import { readPipelineFile } from '../../core/augment/pipeline-store.js';
import { writePreviewFiles } from '../../core/augment/preview-files.js';
import { numberOption, runCommand } from '../run-command.js';
import type { PreviewFlags } from '../commands/preview.js';

const FORMATS = ['jpeg', 'png', 'webp'] as const;

export async function previewAction(imageIdText: string, flags: PreviewFlags, cmd: Command): Promise<void> {
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
}
