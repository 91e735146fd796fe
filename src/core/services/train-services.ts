import { runManager } from '../train/run-manager.js';
import { ApiError } from '../../shared/api/errors.js';
import { listRuns, trainingElsewhere } from '../train/run-store.js';
import type { DomainServices } from './types.js';

/** Implementations of the train domain's contract methods. */
export const trainServices: DomainServices<'train' | 'runs'> = {
  'train.start': ({ datasetId, ...config }, ctx) => ({ runId: runManager(ctx).startRun({ datasetId, config }) }),
  'train.cancel': ({ runId }, ctx) => {
    if (runManager(ctx).cancel(runId)) return { cancelled: true };
    // `smallset train` in a terminal, say: only that program can stop it.
    const owner = trainingElsewhere(ctx.db, runId);
    if (owner !== null) throw new ApiError('conflict', `Run ${runId} is training in another program (process ${owner}): stop it there, with Ctrl-C in its terminal.`);
    return { cancelled: false };
  },
  'runs.list': (filter, ctx) => {
    // Creating the manager first marks runs orphaned by a closed program as failed before they are listed.
    runManager(ctx);
    return { runs: listRuns(ctx.db, filter) };
  },
  'runs.get': async ({ runId }, ctx) => runManager(ctx).describeRun(runId),
  'runs.resume': async ({ runId }, ctx) => runManager(ctx).resumeRun(runId),
  'runs.delete': async ({ runId }, ctx) => ({ deleted: await runManager(ctx).deleteRun(runId) }),
};
