import type { Command } from 'commander';
import { modelKind } from '../../shared/api/train.js';
import { call, callJob } from '../call-job.js';
import { resolveDataset } from '../dataset-arg.js';
import { numberOption, runCommand } from '../run-command.js';
import { formatTable } from '../table.js';
import type { IssuesFlags } from '../commands/issues.js';

/** The stable --json shape (scripts depend on it). */
export interface IssuesJson {
  duplicates: { id: number; leaks: boolean; images: { id: number; path: string; class: string | null; split: string | null; distance: number; excluded: boolean }[] }[];
  leaks: number;
  suspects: { id: number; given: string; suggested: string; score: number }[];
}

export async function issuesAction(ref: string, flags: IssuesFlags, cmd: Command): Promise<void> {
  await runCommand(
    cmd,
    async (env): Promise<IssuesJson> => {
      const dataset = await resolveDataset(env, ref);
      const datasetId = dataset.id;
      await callJob(env, 'quality.measure', { datasetId });
      const threshold = numberOption(flags.threshold, 'threshold', { int: true, min: 0, max: 24 });
      if (threshold !== undefined) await call(env, 'quality.setThreshold', { datasetId, threshold });
      if (flags.fixLeaks) await call(env, 'quality.fixLeaks', { datasetId });
      if (flags.mislabels) {
        const model = flags.model === undefined ? undefined : modelKind.parse(flags.model);
        await callJob(env, 'quality.findMislabels', {
          datasetId,
          ...(flags.folds ? { folds: numberOption(flags.folds, 'folds', { int: true, min: 2, max: 10 })! } : {}),
          ...(flags.epochs ? { epochs: numberOption(flags.epochs, 'epochs', { int: true, min: 1, max: 100 })! } : {}),
          ...(flags.size ? { size: numberOption(flags.size, 'size', { int: true, min: 8, max: 128 })! } : {}),
          ...(flags.patience ? { patience: numberOption(flags.patience, 'patience', { int: true, min: 0, max: 100 })! } : {}),
          ...(flags.seed ? { seed: numberOption(flags.seed, 'seed', { int: true, min: 0, max: 2 ** 31 - 1 })! } : {}),
          ...(model ? { model } : {}),
        });
      }
      const { groups } = await call(env, 'quality.duplicates', { datasetId });
      const { suspects } = await call(env, 'quality.suspects', { datasetId, status: 'open' });
      return {
        duplicates: groups.map((g) => ({
          id: g.id,
          leaks: g.leaks,
          images: g.members.map((m) => ({ id: m.imageId, path: m.relPath, class: m.className, split: m.split, distance: m.distance, excluded: m.excluded })),
        })),
        leaks: groups.filter((g) => g.leaks).length,
        suspects: suspects.map((s) => ({ id: s.imageId, given: s.given, suggested: s.suggested, score: Math.round(s.score * 1000) / 1000 })),
      };
    },
    (r) => {
      const lines = [`${r.duplicates.length} near-duplicate group(s); ${r.leaks} leak across splits${r.leaks ? ' (fix with --fix-leaks)' : ''}.`];
      for (const g of r.duplicates.slice(0, 20)) lines.push(`  ${g.leaks ? '! ' : '  '}${g.images.map((i) => `${i.path} [${i.split ?? '-'}]`).join('  ~  ')}`);
      if (r.duplicates.length > 20) lines.push(`  … and ${r.duplicates.length - 20} more`);
      lines.push(`${r.suspects.length} likely mislabel(s):`);
      if (r.suspects.length) lines.push(formatTable(['image', 'given', 'suggested', 'score'], r.suspects.slice(0, 30).map((s) => [s.id, s.given, s.suggested, s.score.toFixed(3)])));
      return lines.join('\n');
    },
  );
}
