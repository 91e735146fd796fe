import { z } from 'zod';
import { comparisonProgress } from './compare.js';
import { runEpochEvent, runProgressEvent, runStatusEvent } from './train.js';

export const jobProgress = z.object({
  jobId: z.string(),
  kind: z.string(),
  phase: z.string().optional(),
  done: z.number().nonnegative(),
  total: z.number().nonnegative().nullable(),
  message: z.string().optional(),
});
export type JobProgress = z.infer<typeof jobProgress>;

/** A long call started or ended, whichever client started it (so every window can show what the engine is busy with). */
export const jobStatus = z.object({
  jobId: z.string(),
  kind: z.string(),
  status: z.enum(['running', 'done', 'failed', 'cancelled']),
});
export type JobStatus = z.infer<typeof jobStatus>;

/** Every event a client can subscribe to. Domains add theirs here. */
export const events = {
  'job.progress': jobProgress,
  'job.status': jobStatus,
  'library.changed': z.object({ datasetId: z.number().int().positive() }),
  /** A native menu item or shortcut of the desktop app, for the page to act on. */
  'app.menu': z.object({ command: z.enum(['open-folder', 'create-sample', 'rescan', 'undo', 'view']), view: z.string().optional() }),
  'run.progress': runProgressEvent,
  'run.epoch': runEpochEvent,
  'run.status': runStatusEvent,
  'compare.progress': comparisonProgress,
} as const;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.infer<Events[E]>;
