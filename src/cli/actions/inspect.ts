import type { Command } from 'commander';
import { ApiError } from '../../shared/api/errors.js';
import type { SplitName } from '../../shared/api/common.js';
import { call } from '../call-job.js';
import { resolveDataset } from '../dataset-arg.js';
import { numberOption, runCommand } from '../run-command.js';
import { formatCounts, formatTable } from '../table.js';
import type { LsFlags } from '../commands/inspect.js';

export async function statsAction(datasetArg: string | undefined, _flags: unknown, cmd: Command): Promise<void> {
  await runCommand(
    cmd,
    async (env) => {
      if (datasetArg === undefined) return call(env, 'datasets.list', {});
      return { datasets: [await resolveDataset(env, datasetArg)] };
    },
    ({ datasets }) => {
      if (!datasets.length) return 'The library is empty. Try: smallset import <folder>';
      const table = formatTable(
        ['id', 'name', 'images', 'unlabeled', 'errors', 'classes', 'splits'],
        datasets.map((d) => [d.id, d.name, d.images, d.unlabeled, d.errors, formatCounts(d.classes), formatCounts(d.splits)]),
      );
      return [table, '', ...datasets.map((d) => `${d.id}: ${d.root}${d.missing ? ` (${d.missing} files missing)` : ''}`)].join('\n');
    },
  );
}

const splits: readonly SplitName[] = ['train', 'val', 'test'];
const PAGE = 5000;

export async function lsAction(datasetArg: string, flags: LsFlags, cmd: Command): Promise<void> {
  await runCommand(
    cmd,
    async (env) => {
      const dataset = await resolveDataset(env, datasetArg);
      const limit = numberOption(flags.limit, 'limit', { int: true, min: 1 }) ?? Number.POSITIVE_INFINITY;
      const split = flags.split === undefined ? undefined : splits.find((s) => s === flags.split);
      if (flags.split !== undefined && !split) throw new ApiError('invalid_input', `--split must be train, val or test, got "${flags.split}".`);
      let classId: number | undefined;
      if (flags.class !== undefined) {
        const { classes } = await call(env, 'classes.list', { datasetId: dataset.id });
        const found = classes.find((c) => c.name === flags.class);
        if (!found) {
          throw new ApiError('not_found', `Dataset "${dataset.name}" has no class "${flags.class}". Its classes: ${classes.map((c) => c.name).join(', ') || 'none'}.`);
        }
        classId = found.id;
      }
      const images: { id: number; path: string; class: string | null; split: SplitName | null }[] = [];
      for (let offset = 0; images.length < limit; offset += PAGE) {
        const page = await call(env, 'images.query', {
          datasetId: dataset.id,
          ...(classId !== undefined ? { classId } : {}),
          ...(split ? { split } : {}),
          ...(flags.unlabeled ? { unlabeled: true } : {}),
          offset,
          limit: Math.min(PAGE, limit - images.length),
        });
        images.push(...page.images.map((i) => ({ id: i.id, path: i.path, class: i.className, split: i.split })));
        if (page.images.length === 0 || offset + page.images.length >= page.total) break;
      }
      return { images };
    },
    ({ images }) =>
      images.length ? formatTable(['id', 'split', 'class', 'path'], images.map((i) => [i.id, i.split ?? '—', i.class ?? '—', i.path])) : 'No images match.',
  );
}
