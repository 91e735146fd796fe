import { APP_VERSION } from '../version.js';
import type { DomainServices } from './types.js';

export const appServices: DomainServices<'app' | 'jobs'> = {
  'app.info': (_input, ctx) => ({
    version: APP_VERSION,
    dataDir: ctx.dataDir,
    platform: process.platform,
    firstRun: ctx.firstRun,
  }),
  'jobs.cancel': ({ jobId }, ctx) => ({ cancelled: ctx.jobs.cancel(jobId) }),
};
