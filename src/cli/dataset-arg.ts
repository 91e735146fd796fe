import { ApiError } from '../shared/api/errors.js';
import type { DatasetSummary } from '../shared/api/library.js';
import { call } from './call-job.js';
import type { CommandEnv } from './run-command.js';

/**
 * A `<dataset>` argument: a dataset id, or its name (exact, else case-insensitive when that is
 * unambiguous). Errors list what exists, so the user can pick.
 */
export async function resolveDataset(env: Pick<CommandEnv, 'ctx'>, arg: string): Promise<DatasetSummary> {
  const { datasets } = await call(env, 'datasets.list', {});
  const byId = /^\d+$/.test(arg) ? datasets.find((d) => d.id === Number(arg)) : undefined;
  const match =
    byId ??
    datasets.find((d) => d.name === arg) ??
    (() => {
      const folded = datasets.filter((d) => d.name.toLowerCase() === arg.toLowerCase());
      return folded.length === 1 ? folded[0] : undefined;
    })();
  if (match) return match;
  const known = datasets.map((d) => `${d.id} "${d.name}"`).join(', ');
  throw new ApiError('not_found', `No dataset "${arg}". ${known ? `The library has: ${known}.` : 'The library is empty: import a folder first.'}`);
}
