import type { Command } from 'commander';
import type { FileError } from '../../shared/api/common.js';
import { callJob } from '../call-job.js';
import { resolveDataset } from '../dataset-arg.js';
import { runCommand } from '../run-command.js';
import { formatCounts } from '../table.js';

/** Shows the first few problems and how many more there are, so a bad folder does not flood the terminal. */
function describeErrors(errors: readonly FileError[], limit = 10): string[] {
  if (!errors.length) return [];
  const lines = [`${errors.length} file${errors.length === 1 ? '' : 's'} could not be imported:`];
  for (const e of errors.slice(0, limit)) lines.push(`  ${e.path}: ${e.reason}`);
  if (errors.length > limit) lines.push(`  … and ${errors.length - limit} more (use --json for all)`);
  return lines;
}

export async function importAction(folder: string, flags: { name?: string }, cmd: Command): Promise<void> {
  await runCommand(
    cmd,
    (env) => callJob(env, 'datasets.import', { path: folder, ...(flags.name !== undefined ? { name: flags.name } : {}) }),
    (r) =>
      [
        `Imported ${r.imported} images as dataset ${r.datasetId} in ${r.seconds.toFixed(1)} s.`,
        `Classes: ${formatCounts(r.classes)}`,
        `Splits:  ${formatCounts(r.splits)}`,
        ...(r.duplicates ? [`Skipped ${r.duplicates} duplicate file${r.duplicates === 1 ? '' : 's'} (same bytes as another image).`] : []),
        ...describeErrors(r.errors),
      ].join('\n'),
  );
}

export async function rescanAction(datasetArg: string, _flags: unknown, cmd: Command): Promise<void> {
  await runCommand(
    cmd,
    async (env) => {
      const dataset = await resolveDataset(env, datasetArg);
      return callJob(env, 'datasets.rescan', { datasetId: dataset.id });
    },
    (r) =>
      [
        `Dataset ${r.datasetId}: ${r.added} added, ${r.removed} removed, ${r.changed} changed, ${r.moved} moved, ${r.duplicates} duplicates skipped.`,
        ...describeErrors(r.errors),
      ].join('\n'),
  );
}
