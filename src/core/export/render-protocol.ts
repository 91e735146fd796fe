import type { ApiErrorShape } from '../../shared/api/errors.js';
import type { RenderResult, RenderSettings, RenderTask } from './render-source.js';

/** Handed to each render thread when it starts. */
export interface RenderWorkerData {
  readonly settings: RenderSettings;
  /** One Int32: non-zero once the export is cancelled or has failed, so threads stop between files. */
  readonly stop: SharedArrayBuffer;
}

/** Main → thread. */
export type ToRenderWorker = { type: 'task'; index: number; task: RenderTask };

/** Thread → main: `ready` once, then per task any number of `file` and one `done` or `failed`. */
export type FromRenderWorker =
  | { type: 'ready' }
  | { type: 'file' }
  | { type: 'done'; index: number; result: RenderResult }
  | { type: 'failed'; index: number; error: ApiErrorShape };
