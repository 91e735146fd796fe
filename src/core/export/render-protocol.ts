import type { ApiErrorShape } from '../../shared/api/errors.js';
import type { RenderResult, RenderSettings, RenderTask } from './render-source.js';

/**
 * Main → thread. A thread serves one export at a time and may serve several in turn: `begin`
 * hands it the export's settings and its stop flag (one Int32, non-zero once the export is
 * cancelled or has failed, so threads stop between files), then come that export's tasks.
 */
export type ToRenderWorker =
  | { type: 'begin'; settings: RenderSettings; stop: SharedArrayBuffer }
  | { type: 'task'; index: number; task: RenderTask };

/** Thread → main: `ready` once when started, then per task any number of `file` and one `done` or `failed`. */
export type FromRenderWorker =
  | { type: 'ready' }
  | { type: 'file' }
  | { type: 'done'; index: number; result: RenderResult }
  | { type: 'failed'; index: number; error: ApiErrorShape };
