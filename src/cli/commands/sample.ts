import type { Command } from 'commander';
import { sampleDefaults, writeSampleDataset } from '../../core/library/sample-dataset.js';
import { numberOption, runCommand } from '../run-command.js';

interface SampleFlags {
  classes?: string;
  perClass?: string;
  size?: string;
  seed?: string;
}

export function registerSample(program: Command): void {
  program
    .command('sample')
    .description('Write the generated shapes dataset (one folder per class, JPEGs) into a folder.')
    .argument('<dir>', 'folder to write into (created if needed)')
    .option('--classes <n>', `number of shape classes, 2 to 8 (default ${sampleDefaults.classes})`)
    .option('--per-class <n>', `images per class (default ${sampleDefaults.perClass})`)
    .option('--size <px>', `side of each square image (default ${sampleDefaults.size})`)
    .option('--seed <s>', `seed; the same options give byte-identical files (default ${sampleDefaults.seed})`)
    .action(async (dir: string, flags: SampleFlags, cmd: Command) => {
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
    });
}
