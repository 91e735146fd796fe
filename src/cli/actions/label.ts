import type { Command } from 'commander';
import { ApiError } from '../../shared/api/errors.js';
import { call } from '../call-job.js';
import { resolveDataset } from '../dataset-arg.js';
import { numberOption, runCommand } from '../run-command.js';
import { formatCounts } from '../table.js';
import type { SplitFlags } from '../commands/label.js';

export async function labelAction(idArgs: string[], flags: { class: string }, cmd: Command): Promise<void> {
  await runCommand(
    cmd,
    async (env) => {
      const imageIds = [...new Set(idArgs.map((a) => numberOption(a, 'image-id', { int: true, min: 1 })!))];
      const name = flags.class.trim();
      if (!name) throw new ApiError('invalid_input', '--class cannot be empty.');
      // Images may come from several datasets: each gets (or reuses) a class of that name.
      const byDataset = new Map<number, number[]>();
      for (const imageId of imageIds) {
        const image = await call(env, 'images.get', { imageId });
        byDataset.set(image.datasetId, [...(byDataset.get(image.datasetId) ?? []), imageId]);
      }
      let updated = 0;
      const previous: { imageId: number; classId: number | null }[] = [];
      for (const [datasetId, ids] of byDataset) {
        const { classes } = await call(env, 'classes.list', { datasetId });
        const classId = classes.find((c) => c.name === name)?.id ?? (await call(env, 'classes.create', { datasetId, name })).id;
        const result = await call(env, 'images.label', { imageIds: ids, classId });
        updated += result.updated;
        previous.push(...result.previous);
      }
      return { updated, class: name, previous };
    },
    (r) => `Labelled ${r.updated} image${r.updated === 1 ? '' : 's'} "${r.class}"${r.updated < r.previous.length ? ` (${r.previous.length - r.updated} already were)` : ''}.`,
  );
}

export async function splitAction(datasetArg: string, flags: SplitFlags, cmd: Command): Promise<void> {
  await runCommand(
    cmd,
    async (env) => {
      const dataset = await resolveDataset(env, datasetArg);
      const fraction = (v: string, n: string) => numberOption(v, n, { min: 0, max: 1 })!;
      const requested = { train: fraction(flags.train, 'train'), val: fraction(flags.val, 'val'), test: fraction(flags.test, 'test') };
      const result = await call(env, 'splits.assign', { datasetId: dataset.id, ...requested, seed: numberOption(flags.seed, 'seed', { int: true }) ?? 0 });
      const total = Object.values(result.splits).reduce((a, b) => a + b, 0);
      const ratio = (s: 'train' | 'val' | 'test') => (total ? Math.round(((result.splits[s] ?? 0) / total) * 1000) / 1000 : 0);
      const achieved = { train: ratio('train'), val: ratio('val'), test: ratio('test') };
      return { datasetId: dataset.id, splits: result.splits, requested, achieved, movedForDuplicates: result.movedForDuplicates };
    },
    (r) => {
      const lines = [`Dataset ${r.datasetId} split: ${formatCounts(r.splits)}`];
      if (r.movedForDuplicates > 0) {
        const show = (x: typeof r.achieved) => `${x.train} / ${x.val} / ${x.test}`;
        lines.push(
          `Near-duplicate groups were kept on one side: ${r.movedForDuplicates} image${r.movedForDuplicates === 1 ? '' : 's'} moved, ` +
            `so the ratios are ${show(r.achieved)} instead of the requested ${show(r.requested)} (train / val / test).`,
        );
      }
      return lines.join('\n');
    },
  );
}
