import { z } from 'zod';
import { method } from './define.js';
import { jobId, localPath } from './common.js';

/** File types a dialog offers: `[{ name: 'Pipeline', extensions: ['json'] }]`. */
const fileFilters = z
  .array(z.object({ name: z.string().min(1).max(100), extensions: z.array(z.string().regex(/^[\w*]+$/, 'an extension without the dot, like json')).min(1).max(20) }))
  .max(10)
  .default([]);
export type FileFilter = z.infer<typeof fileFilters>[number];

export const jobsApi = {
  'jobs.cancel': method(
    'Cancel a long call (import, preview, export, …) by the jobId it was started with.',
    z.object({ jobId }),
    z.object({ cancelled: z.boolean() }),
  ),
  'app.info': method(
    'Version, data folder and what this machine can do.',
    z.object({}).default({}),
    z.object({
      version: z.string(),
      dataDir: z.string(),
      platform: z.string(),
      firstRun: z.boolean(),
      /** True in the desktop app (a native folder dialog); a browser shows a path field instead. */
      canPickFolder: z.boolean(),
      /** True in the desktop app (the file manager opens at a path); a browser shows the path to copy. */
      canRevealPath: z.boolean(),
      /** True in the desktop app (native open and save dialogs for files); a browser uploads and downloads instead. */
      canPickFile: z.boolean().default(false),
    }),
  ),
  'app.pickFolder': method(
    'Ask the person for a folder with the native dialog (desktop app only; a browser gets `unsupported`).',
    z.object({ title: z.string().max(200).optional() }).default({}),
    z.object({ path: z.string().nullable() }),
  ),
  'app.pickFile': method(
    'Ask the person for a file to open with the native dialog (desktop app only; a browser gets `unsupported`).',
    z.object({ title: z.string().max(200).optional(), filters: fileFilters }).default({ filters: [] }),
    z.object({ path: z.string().nullable() }),
  ),
  'app.pickSavePath': method(
    'Ask the person where to save a file with the native dialog (desktop app only; a browser gets `unsupported`).',
    z
      .object({
        title: z.string().max(200).optional(),
        /** The file name the dialog suggests. */
        defaultName: z.string().max(255).optional(),
        filters: fileFilters,
      })
      .default({ filters: [] }),
    z.object({ path: z.string().nullable() }),
  ),
  'app.setTheme': method(
    "The theme the person chose, so the desktop app's own window parts (menus, dialogs, title bar) match the page; a browser needs nothing.",
    z.object({ theme: z.enum(['system', 'light', 'dark']) }),
    z.object({ applied: z.boolean() }),
  ),
  'app.revealPath': method(
    "Show a file or folder in the system's file manager (desktop app only; a browser gets `unsupported`).",
    z.object({ path: z.string().trim().min(1, 'name the file or folder to show').pipe(localPath) }),
    z.object({ shown: z.boolean() }),
  ),
} as const;
