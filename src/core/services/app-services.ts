import { ApiError } from '../../shared/api/errors.js';
import { APP_VERSION } from '../version.js';
import type { DomainServices } from './types.js';

export const appServices: DomainServices<'app' | 'jobs'> = {
  'app.info': (_input, ctx) => ({
    version: APP_VERSION,
    dataDir: ctx.dataDir,
    platform: process.platform,
    firstRun: ctx.firstRun,
    canPickFolder: Boolean(ctx.host?.pickFolder),
  }),
  'app.pickFolder': async ({ title }, ctx) => {
    const pick = ctx.host?.pickFolder;
    if (!pick) throw new ApiError('unsupported', 'There is no folder dialog here; type the folder path instead.');
    return { path: await pick(title === undefined ? {} : { title }) };
  },
  'jobs.cancel': ({ jobId }, ctx) => ({ cancelled: ctx.jobs.cancel(jobId) }),
};
