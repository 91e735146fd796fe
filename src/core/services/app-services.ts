import { existsSync } from 'node:fs';
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
    canRevealPath: Boolean(ctx.host?.revealPath),
    canPickFile: Boolean(ctx.host?.pickFile && ctx.host.pickSavePath),
  }),
  'app.pickFolder': async ({ title }, ctx) => {
    const pick = ctx.host?.pickFolder;
    if (!pick) throw new ApiError('unsupported', 'There is no folder dialog here; type the folder path instead.');
    return { path: await pick(title === undefined ? {} : { title }) };
  },
  'app.pickFile': async ({ title, filters }, ctx) => {
    const pick = ctx.host?.pickFile;
    if (!pick) throw new ApiError('unsupported', 'There is no file dialog here; open the file from the page instead.');
    return { path: await pick({ filters, ...(title === undefined ? {} : { title }) }) };
  },
  'app.pickSavePath': async ({ title, defaultName, filters }, ctx) => {
    const pick = ctx.host?.pickSavePath;
    if (!pick) throw new ApiError('unsupported', 'There is no save dialog here; the page downloads the file instead.');
    return { path: await pick({ filters, ...(title === undefined ? {} : { title }), ...(defaultName === undefined ? {} : { defaultName }) }) };
  },
  'app.setTheme': ({ theme }, ctx) => {
    ctx.host?.setTheme?.(theme);
    return { applied: Boolean(ctx.host?.setTheme) };
  },
  'app.revealPath': ({ path }, ctx) => {
    const reveal = ctx.host?.revealPath;
    if (!reveal) throw new ApiError('unsupported', `There is no file manager to open here; the path is ${path}.`);
    if (!existsSync(path)) throw new ApiError('not_found', `${path} does not exist (moved or deleted?).`);
    reveal(path);
    return { shown: true };
  },
  'jobs.cancel': ({ jobId }, ctx) => ({ cancelled: ctx.jobs.cancel(jobId) }),
};
