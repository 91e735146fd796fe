import type { Command } from 'commander';
import { writeSampleDataset } from '../../core/library/sample-dataset.js';
import { numberOption, runCommand } from '../run-command.js';
import type { SampleFlags } from '../commands/sample.js';

export async function sampleAction(dir: string, flags: SampleFlags, cmd: Command): Promise<void> {
  await runCommand(
    cmd,
    ({ signal }) => {
      const classes = numberOption(flags.classes, 'classes', { int: true, min: 2, max: 8 });
      const perClass = numberOption(flags.perClass, 'per-class', { int: true, min: 1, max: 10_000 });
      const size = numberOption(flags.size, 'size', { int: true, min: 16, max: 1024 });
      const seed = numberOption(flags.seed, 'seed', { int: true });
      return writeSampleDataset(
        dir,
        {
          ...(classes !== undefined ? { classes } : {}),
          ...(perClass !== undefined ? { perClass } : {}),
          ...(size !== undefined ? { size } : {}),
          ...(seed !== undefined ? { seed } : {}),
        },
        signal,
      );
    },
    (r) => `Wrote ${r.files} images (${Object.keys(r.classes).join(', ')}) to ${r.dir}\nImport them with: smallset import "${r.dir}"`,
  );
}
