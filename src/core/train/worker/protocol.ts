import type { EpochLog, RunMetrics, TrainBackendName, TrainConfig } from '../../../shared/api/train.js';
import type { BackboneInfo } from '../../../shared/api/transfer.js';
import type { FoldTrainingResult, FoldTrainingTask } from '../../quality/fold-training.js';
import type { HarmCheckTask, HarmReport } from '../../quality/harm-measure.js';
import type { RunProgress } from '../callbacks/progress-emitter.js';
import type { RunSets } from '../data/samples.js';

/** Everything a training process needs; it never opens the database (the parent stores what it sends). */
export interface WorkerJob {
  runId: string;
  config: TrainConfig;
  classes: string[];
  sets: RunSets;
  /** ctx.paths.decoded: the shared decode cache. */
  decodedDir: string;
  /** ctx.paths.models/<runId>: where model.json, weights.bin and labels.json go. */
  modelDir: string;
  /** Transfer runs: the backbone from the model cache, resolved when the run was queued. */
  backbone?: BackboneInfo;
}

/** Work other than a training run that runs in a training process, so the API stays responsive. */
export type WorkerTask = { kind: 'cross-validation'; input: FoldTrainingTask } | { kind: 'harm-check'; input: HarmCheckTask };

/** What each task kind answers with. */
export interface WorkerTaskResults {
  'cross-validation': FoldTrainingResult;
  'harm-check': HarmReport;
}

export interface TaskProgress {
  phase: string;
  done: number;
  total: number;
}

/** Parent → worker: one training run, or one task. */
export type ParentMessage = { type: 'start'; job: WorkerJob } | { type: 'task'; task: WorkerTask };

/**
 * Worker → parent, in order: started, then progress and epoch messages, then exactly one of done
 * or error (a task: task-progress messages, then task-done or error). A worker that exits without done/error crashed (or was killed).
 */
export type WorkerMessage =
  | { type: 'started'; backend: TrainBackendName; pid: number }
  | { type: 'progress'; progress: RunProgress }
  | { type: 'epoch'; log: EpochLog }
  | { type: 'done'; metrics: RunMetrics; modelPath: string }
  | { type: 'task-progress'; progress: TaskProgress }
  | { type: 'task-done'; result: WorkerTaskResults[WorkerTask['kind']] }
  | { type: 'error'; message: string; code: string; stack?: string };

export function isWorkerMessage(m: unknown): m is WorkerMessage {
  return typeof m === 'object' && m !== null && 'type' in m && typeof m.type === 'string' && ['started', 'progress', 'epoch', 'done', 'task-progress', 'task-done', 'error'].includes(m.type);
}

export function isParentMessage(m: unknown): m is ParentMessage {
  return typeof m === 'object' && m !== null && 'type' in m && ((m.type === 'start' && 'job' in m) || (m.type === 'task' && 'task' in m));
}
