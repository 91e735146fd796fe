import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { describeIssues, ApiError } from '../../shared/api/errors.js';
import { runErrorCode, trainConfig, type RunDetail, type RunErrorCode, type RunStatus, type RunSummary, type TrainConfigInput } from '../../shared/api/train.js';
import type { AppContext } from '../context.js';
import { readBackboneSync } from '../transfer/backbone-store.js';
import { checkTrainPipeline } from './data/check-pipeline.js';
import { prepareRunData } from './data/prepare-run-data.js';
import { checkModelShape } from './models/model-shape.js';
import { configDigest, readCheckpointHeader, removeCheckpoint, setsDigest, type CheckpointHeader } from './checkpoint/checkpoint-file.js';
import { endRun, failOrphanedRuns, finishRun, getRunDetail, getRunSummary, insertEpoch, insertRun, markRunning, requeueRun, requireRun, setBackend, deleteRunRow, type RunRecord } from './run-store.js';
import { forkLauncher } from './worker/fork-worker.js';
import { utilityLauncher } from './worker/utility-launcher.js';
import { isWorkerMessage, type WorkerJob, type WorkerMessage } from './worker/protocol.js';
import type { WorkerHandle, WorkerLauncher } from './worker/worker-handle.js';

export interface StartRunRequest {
  datasetId: number;
  /** Missing fields take their defaults. Pass the same seed (or splitSeed/subsetSeed/initSeed/dataSeed) to pair runs. */
  config?: TrainConfigInput;
  comparisonId?: number | null;
  arm?: string | null;
  repeat?: number | null;
}

export interface RunManagerOptions {
  /** Training processes at once; default half the cores, at least one. */
  concurrency?: number;
  /** How a training process is started (Electron's main passes a utilityProcess launcher). */
  launcher?: WorkerLauncher;
  /** Time a worker gets after SIGTERM before SIGKILL. */
  killGraceMs?: number;
}

interface Active {
  handle: WorkerHandle | null;
  /** Set once done or error arrived: the exit that follows is expected. */
  outcome: 'done' | 'failed' | null;
  cancelRequested: boolean;
  killTimer: NodeJS.Timeout | null;
}

const TERMINAL: readonly RunStatus[] = ['done', 'failed', 'cancelled'];

export function newRunId(): string {
  return `run-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

const OUT_OF_MEMORY = /heap out of memory|Allocation failed|std::bad_alloc|ENOMEM|Out of memory/i;

/** Why a worker died without saying so: out of memory, a signal, or its last line of output. */
export function crashMessage(code: number | null, signal: string | null, output: string): string {
  if (OUT_OF_MEMORY.test(output)) {
    return 'The training process ran out of memory; try a smaller image size or batch size.';
  }
  const last = output
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .at(-1);
  const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
  return `The training process ${how} before finishing${last ? `: ${last.slice(0, 300)}` : '.'}`;
}

export function crashCode(output: string): RunErrorCode {
  return OUT_OF_MEMORY.test(output) ? 'out_of_memory' : 'crashed';
}

/** The worker's code when it is one we know; anything else is our bug. */
function workerErrorCode(code: string): RunErrorCode {
  const parsed = runErrorCode.safeParse(code);
  return parsed.success ? parsed.data : 'internal';
}

/**
 * Owns the training processes of one AppContext: a queue, at most `concurrency` workers, and the
 * database rows of every run it starts (workers send rows; only this process writes them).
 */
export class RunManager {
  private readonly queue: string[] = [];
  private readonly jobs = new Map<string, WorkerJob>();
  private readonly active = new Map<string, Active>();
  private readonly waiters = new Map<string, ((run: RunSummary) => void)[]>();
  /** Each launched run's row as it started, for waiters of a run whose row is deleted meanwhile. */
  private readonly started = new Map<string, RunSummary>();
  private readonly launcher: WorkerLauncher;
  private readonly killGraceMs: number;
  private closed = false;
  concurrency: number;

  constructor(
    private readonly ctx: Pick<AppContext, 'db' | 'paths' | 'events'>,
    opts: RunManagerOptions = {},
  ) {
    this.launcher = opts.launcher ?? forkLauncher();
    this.killGraceMs = opts.killGraceMs ?? 3000;
    this.concurrency = Math.max(1, opts.concurrency ?? Math.floor(availableParallelism() / 2));
    failOrphanedRuns(ctx.db);
  }

  /** Checks the request, records the run as queued and returns its id at once. */
  startRun(req: StartRunRequest): string {
    if (this.closed) throw new ApiError('conflict', 'The training queue is closed.');
    const parsed = trainConfig.safeParse(req.config ?? {});
    if (!parsed.success) throw new ApiError('invalid_input', `Training settings: ${describeIssues(parsed.error.issues)}`);
    const backbone = parsed.data.transfer ? readBackboneSync(this.ctx.paths.backbones, parsed.data.transfer.backbone) : undefined;
    // A transfer run trains at its backbone's input size.
    const config = backbone?.inputSize ? { ...parsed.data, size: backbone.inputSize } : parsed.data;
    checkModelShape(config);
    checkTrainPipeline(config.pipeline);
    const prepared = prepareRunData(this.ctx.db, req.datasetId, config);
    const id = newRunId();
    insertRun(this.ctx.db, {
      id,
      datasetId: req.datasetId,
      comparisonId: req.comparisonId ?? null,
      arm: req.arm ?? null,
      repeat: req.repeat ?? null,
      config,
      data: prepared.data,
    });
    this.jobs.set(id, {
      runId: id,
      config,
      classes: prepared.data.classes.map((c) => c.name),
      sets: prepared.sets,
      decodedDir: this.ctx.paths.decoded,
      modelDir: path.join(this.ctx.paths.models, id),
      ...(backbone ? { backbone } : {}),
    });
    this.queue.push(id);
    this.emitStatus(id);
    this.pump();
    return id;
  }

  /**
   * Queues a failed or cancelled run again under its id, to continue from its last epoch
   * checkpoint (the epochs after it, if any were stored, are trained again). Refused when the run
   * has no checkpoint (it ended before its first epoch, or it is a transfer run) or when its
   * dataset no longer gives the same images, labels and bytes.
   */
  async resumeRun(runId: string): Promise<{ runId: string; fromEpoch: number }> {
    if (this.closed) throw new ApiError('conflict', 'The training queue is closed.');
    const run = getRunDetail(this.ctx.db, runId);
    if (run.status !== 'failed' && run.status !== 'cancelled') {
      throw new ApiError('conflict', `Run ${runId} is ${run.status}; only a failed or cancelled run can be resumed.`);
    }
    // The comparison's queue owns its runs' outcomes (and reruns what its closed program left); a run resumed behind its back would not count.
    if (run.comparisonId !== null) {
      throw new ApiError('conflict', `Run ${runId} is an arm of comparison ${run.comparisonId}, whose results would not include it; start a new comparison instead.`);
    }
    const modelDir = path.join(this.ctx.paths.models, runId);
    const checkpoint = await this.checkpointOf(runId);
    if (!checkpoint) {
      const why = run.config.transfer ? 'transfer runs keep no checkpoint' : 'it stopped before its first epoch was checkpointed';
      throw new ApiError('conflict', `Run ${runId} has no checkpoint to resume from (${why}); start it again instead.`);
    }
    const prepared = prepareRunData(this.ctx.db, run.datasetId, run.config);
    if (setsDigest(prepared.sets) !== checkpoint.setsDigest || configDigest(run.config) !== checkpoint.configDigest) {
      throw new ApiError(
        'conflict',
        `Run ${runId} cannot be resumed: its dataset changed since it started (images added, removed, relabeled, resplit or rewritten); start it again instead.`,
      );
    }
    if (this.active.has(runId) || this.queue.includes(runId)) throw new ApiError('conflict', `Run ${runId} is already queued.`);
    requeueRun(this.ctx.db, runId, checkpoint.epoch);
    this.jobs.set(runId, {
      runId,
      config: run.config,
      classes: prepared.data.classes.map((c) => c.name),
      sets: prepared.sets,
      decodedDir: this.ctx.paths.decoded,
      modelDir,
    });
    this.queue.push(runId);
    this.emitStatus(runId);
    this.pump();
    return { runId, fromEpoch: checkpoint.epoch + 1 };
  }

  /** Stops a queued or running run of this process; false when it is not (or no longer) ours to stop. */
  cancel(runId: string): boolean {
    const queued = this.queue.indexOf(runId);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      this.jobs.delete(runId);
      endRun(this.ctx.db, runId, 'cancelled', null);
      this.settle(runId);
      return true;
    }
    const run = this.active.get(runId);
    if (!run || run.outcome) return false;
    run.cancelRequested = true;
    this.stopWorker(run);
    return true;
  }

  /** Resolves when the run has ended (done, failed or cancelled) and its process is gone. */
  waitForRun(runId: string): Promise<RunSummary> {
    if (this.active.has(runId) || this.queue.includes(runId)) {
      return new Promise((resolve) => {
        const list = this.waiters.get(runId) ?? [];
        list.push(resolve);
        this.waiters.set(runId, list);
      });
    }
    const run = requireRun(this.ctx.db, runId);
    if (TERMINAL.includes(run.status)) return Promise.resolve(run);
    // Started by another process on the same library: follow its row.
    return new Promise((resolve, reject) => {
      const timer = setInterval(() => {
        try {
          const now = requireRun(this.ctx.db, runId);
          if (TERMINAL.includes(now.status)) {
            clearInterval(timer);
            resolve(now);
          }
        } catch (err) {
          clearInterval(timer);
          reject(err);
        }
      }, 1000);
    });
  }

  getRun(runId: string): RunRecord {
    return getRunDetail(this.ctx.db, runId);
  }

  /** The run's record, and the epoch a resume would continue from. */
  async describeRun(runId: string): Promise<RunDetail> {
    const run = getRunDetail(this.ctx.db, runId);
    const resumable = (run.status === 'failed' || run.status === 'cancelled') && run.comparisonId === null;
    const checkpoint = resumable ? await this.checkpointOf(runId) : null;
    return { ...run, resumeFrom: checkpoint ? checkpoint.epoch + 1 : null };
  }

  private async checkpointOf(runId: string): Promise<CheckpointHeader | null> {
    const header = await readCheckpointHeader(path.join(this.ctx.paths.models, runId));
    return header?.runId === runId ? header : null;
  }

  /** Cancels the run if needed, then forgets it and deletes its model files. */
  async deleteRun(runId: string): Promise<boolean> {
    if (!getRunSummary(this.ctx.db, runId)) return false;
    if (this.cancel(runId) || this.active.has(runId)) await this.waitForRun(runId);
    const deleted = deleteRunRow(this.ctx.db, runId);
    await rm(path.join(this.ctx.paths.models, runId), { recursive: true, force: true });
    return deleted;
  }

  /** Process id of the run's training worker while it runs (for diagnostics and tests). */
  workerPid(runId: string): number | undefined {
    return this.active.get(runId)?.handle?.pid;
  }

  /** Number of runs queued or training in this process. */
  get pending(): number {
    return this.queue.length + this.active.size;
  }

  /** Kills every worker at once (the program is closing) and records their runs as cancelled. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const id of this.queue.splice(0)) {
      endRun(this.ctx.db, id, 'cancelled', 'The program closed before the run started.');
      this.settle(id);
    }
    for (const [id, run] of this.active) {
      run.cancelRequested = true;
      run.handle?.kill('SIGKILL');
      if (run.killTimer) clearTimeout(run.killTimer);
      if (!run.outcome) endRun(this.ctx.db, id, 'cancelled', 'The program closed while the run was training.');
      this.active.delete(id);
      this.settle(id);
    }
  }

  private pump(): void {
    while (!this.closed && this.active.size < this.concurrency && this.queue.length > 0) {
      const id = this.queue.shift()!;
      const job = this.jobs.get(id)!;
      this.jobs.delete(id);
      this.launch(id, job);
    }
  }

  private launch(id: string, job: WorkerJob): void {
    const run: Active = { handle: null, outcome: null, cancelRequested: false, killTimer: null };
    this.active.set(id, run);
    markRunning(this.ctx.db, id);
    const row = getRunSummary(this.ctx.db, id);
    if (row) this.started.set(id, row);
    this.emitStatus(id);
    try {
      run.handle = this.launcher();
    } catch (err) {
      endRun(this.ctx.db, id, 'failed', `Could not start the training process: ${(err as Error).message}`, 'crashed');
      this.active.delete(id);
      this.settle(id);
      this.pump();
      return;
    }
    run.handle.onMessage((m) => {
      if (isWorkerMessage(m)) this.onMessage(id, run, m);
    });
    run.handle.onExit((code, signal) => this.onExit(id, run, code, signal));
    run.handle.send({ type: 'start', job });
  }

  private onMessage(id: string, run: Active, m: WorkerMessage): void {
    if (this.closed || run.outcome) return;
    const db = this.ctx.db;
    // Cancelled by another process on the same library, or deleted with its dataset: stop training.
    if ((m.type === 'epoch' || m.type === 'done') && getRunSummary(db, id)?.status !== 'running') {
      run.cancelRequested = true;
      run.outcome = 'failed';
      this.stopWorker(run);
      return;
    }
    switch (m.type) {
      case 'started':
        setBackend(db, id, m.backend);
        return;
      case 'progress':
        this.ctx.events.emit('run.progress', { runId: id, ...m.progress });
        return;
      case 'epoch': {
        insertEpoch(db, id, m.log);
        const epochs = getRunSummary(db, id)?.maxEpochs ?? m.log.epoch;
        this.ctx.events.emit('run.epoch', { runId: id, ...m.log, epochs });
        return;
      }
      case 'done':
        run.outcome = 'done';
        finishRun(db, id, m.metrics, m.modelPath);
        // The model is saved: the run's checkpoint is no longer needed.
        void removeCheckpoint(path.join(this.ctx.paths.models, id)).catch(() => undefined);
        this.expectExit(run);
        return;
      case 'error':
        run.outcome = 'failed';
        if (run.cancelRequested) endRun(db, id, 'cancelled', null);
        else endRun(db, id, 'failed', m.message, workerErrorCode(m.code));
        this.expectExit(run);
        return;
    }
  }

  private onExit(id: string, run: Active, code: number | null, signal: string | null): void {
    if (run.killTimer) clearTimeout(run.killTimer);
    if (!this.active.has(id)) return;
    this.active.delete(id);
    if (!run.outcome) {
      if (run.cancelRequested) endRun(this.ctx.db, id, 'cancelled', null);
      else {
        const output = run.handle?.outputTail() ?? '';
        endRun(this.ctx.db, id, 'failed', crashMessage(code, signal, output), crashCode(output));
      }
    }
    this.settle(id);
    this.pump();
  }

  /** SIGTERM, then SIGKILL if the process is still there after the grace period. */
  private stopWorker(run: Active): void {
    run.handle?.kill('SIGTERM');
    run.killTimer ??= setTimeout(() => run.handle?.kill('SIGKILL'), this.killGraceMs);
    run.killTimer.unref();
  }

  /** A worker that reported its outcome exits by itself; one that lingers is stopped. */
  private expectExit(run: Active): void {
    if (run.killTimer) return;
    run.killTimer = setTimeout(() => {
      run.killTimer = null;
      this.stopWorker(run);
    }, 10_000);
    run.killTimer.unref();
  }

  private emitStatus(id: string): void {
    const run = getRunSummary(this.ctx.db, id);
    if (run) {
      this.ctx.events.emit('run.status', { runId: id, datasetId: run.datasetId, comparisonId: run.comparisonId, status: run.status, error: run.error, errorCode: run.errorCode });
    }
  }

  private settle(id: string): void {
    this.emitStatus(id);
    const started = this.started.get(id);
    this.started.delete(id);
    // A run deleted while it trained (its dataset was removed elsewhere) ends for its waiters as cancelled.
    const run =
      getRunSummary(this.ctx.db, id) ?? (started ? { ...started, status: 'cancelled' as const, error: 'The run was deleted while it trained.', errorCode: null } : null);
    const list = this.waiters.get(id) ?? [];
    this.waiters.delete(id);
    if (run) for (const resolve of list) resolve(run);
  }
}

const managers = new WeakMap<object, RunManager>();

/**
 * The run manager of a context, created on first use and stopped when the context closes.
 * Its training processes start the host's way when the host can (Electron's utilityProcess),
 * else with child_process.fork. Options only apply to that first call.
 */
export function runManager(ctx: AppContext, opts?: RunManagerOptions): RunManager {
  let m = managers.get(ctx);
  if (!m) {
    const start = ctx.host?.startTrainingProcess?.bind(ctx.host);
    m = new RunManager(ctx, { ...(start ? { launcher: utilityLauncher(start) } : {}), ...opts });
    managers.set(ctx, m);
    const created = m;
    ctx.onClose(() => created.close());
  }
  return m;
}
