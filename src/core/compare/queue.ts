import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { ComparisonProgress } from '../../shared/api/compare.js';
import type { TrainConfigInput } from '../../shared/api/train.js';
import type { AppContext } from '../context.js';
import { trainConfigFor } from './run-config.js';
import {
  cancelPending,
  claimComparison,
  comparisonProgress,
  findComparison,
  getComparison,
  markRun,
  markRunStarted,
  queueRow,
  queueRows,
  setComparisonStatus,
  setVerdict,
  unfinishedComparisons,
  type ComparisonRow,
  type QueueRow,
} from './store.js';

/** What the queue needs from the training engine. */
export interface RunLauncher {
  /** Starts a run and returns its id at once. */
  start(request: {
    datasetId: number;
    comparisonId: number;
    arm: string;
    repeat: number;
    config: TrainConfigInput;
    /** The comparison's concurrency: the engine must allow at least this many runs at once. */
    concurrency: number;
  }): Promise<string>;
  /** Resolves when the run has finished, failed or been cancelled, with its error if any. */
  wait(runId: string): Promise<{ status: 'done' | 'failed' | 'cancelled'; error: string | null }>;
  cancel(runId: string): void;
  /** The run's recorded status, or null when it no longer exists. */
  status(runId: string): 'queued' | 'running' | 'done' | 'failed' | 'cancelled' | null;
}

export interface QueueHooks {
  /** Recomputes the verdict from the runs so far (after each run and at the end). */
  verdict(comparisonId: number): string | null;
}

/** Half the cores, at least one: training is CPU-bound and the app must stay responsive. */
export function defaultConcurrency(): number {
  return Math.max(1, Math.floor(availableParallelism() / 2));
}

/** A run interrupted this many times (the app died while it trained) is not tried again. */
const MAX_ATTEMPTS = 3;

/** Queues alive in this process, by owner token: a token not here belongs to a queue that is gone. */
const liveTokens = new Set<string>();

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when another live queue (in this process or another) owns the comparison. */
function ownedElsewhere(c: ComparisonRow, token: string): boolean {
  if (c.ownerPid === null || c.ownerToken === token) return false;
  if (c.ownerPid === process.pid) return c.ownerToken !== null && liveTokens.has(c.ownerToken);
  return processAlive(c.ownerPid);
}

interface Active {
  comparisonId: number;
  runId: string | null;
}

/**
 * Runs the comparisons' runs with bounded concurrency. State lives in SQLite (comparison_runs), so
 * a restart picks up where the last process stopped: pending runs start, runs that were training
 * when their process died start again, runs that finished just before are kept.
 */
export class CompareQueue {
  private readonly token = randomUUID();
  private readonly owner = { pid: process.pid, token: this.token };
  private readonly active = new Map<number, Active>();
  private readonly settled = new Map<number, (() => void)[]>();
  private closed = false;

  constructor(
    private readonly ctx: AppContext,
    private readonly launcher: RunLauncher,
    private readonly hooks: QueueHooks,
  ) {
    liveTokens.add(this.token);
  }

  /** Takes a new comparison and starts what the concurrency allows. */
  enqueue(comparisonId: number): void {
    const c = getComparison(this.ctx.db, comparisonId);
    if (!claimComparison(this.ctx.db, c.id, { pid: c.ownerPid, token: c.ownerToken }, this.owner)) return;
    this.pump();
  }

  /** Adopts every unfinished comparison whose owner is gone, and continues it. Returns their ids. */
  resume(): number[] {
    const adopted: number[] = [];
    for (const c of unfinishedComparisons(this.ctx.db)) {
      if (c.ownerToken === this.token || ownedElsewhere(c, this.token)) continue;
      if (!claimComparison(this.ctx.db, c.id, { pid: c.ownerPid, token: c.ownerToken }, this.owner)) continue;
      for (const row of queueRows(this.ctx.db, c.id)) if (row.status === 'running') this.recover(row);
      adopted.push(c.id);
    }
    for (const id of adopted) this.finishIfSettled(id);
    this.pump();
    return adopted;
  }

  /** A row left 'running' by a dead process: keep a run that finished, rerun one that did not. */
  private recover(row: QueueRow): void {
    const status = row.runId ? this.launcher.status(row.runId) : null;
    if (status === 'done') return markRun(this.ctx.db, row.id, 'done');
    if (row.runId && (status === 'queued' || status === 'running')) this.launcher.cancel(row.runId);
    if (row.attempts >= MAX_ATTEMPTS) {
      return markRun(this.ctx.db, row.id, 'failed', `interrupted ${row.attempts} times; not tried again`);
    }
    markRun(this.ctx.db, row.id, 'pending');
  }

  /** Cancels the whole comparison: pending runs never start, running ones are stopped. */
  cancel(comparisonId: number): number {
    const c = getComparison(this.ctx.db, comparisonId);
    if (c.status !== 'queued' && c.status !== 'running') return 0;
    setComparisonStatus(this.ctx.db, comparisonId, 'cancelled');
    let n = cancelPending(this.ctx.db, comparisonId);
    for (const row of queueRows(this.ctx.db, comparisonId)) {
      if (row.status !== 'running') continue;
      n++;
      const mine = this.active.get(row.id);
      if (mine) {
        if (mine.runId) this.launcher.cancel(mine.runId);
      } else {
        // Owned by a process that is gone or elsewhere: stop the run if we can and close the row.
        if (row.runId) this.launcher.cancel(row.runId);
        markRun(this.ctx.db, row.id, 'cancelled');
      }
    }
    this.finishIfSettled(comparisonId);
    return n;
  }

  /** Resolves once the comparison is done, failed or cancelled and none of its runs is still stopping (or the queue closes). */
  whenSettled(comparisonId: number): Promise<void> {
    const c = getComparison(this.ctx.db, comparisonId);
    const ended = c.status === 'done' || c.status === 'failed' || c.status === 'cancelled';
    const stopping = [...this.active.values()].some((a) => a.comparisonId === comparisonId);
    if ((ended && !stopping) || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const list = this.settled.get(comparisonId) ?? [];
      list.push(resolve);
      this.settled.set(comparisonId, list);
    });
  }

  /**
   * Stops starting runs and hands what is running back to the queue: on the next start these
   * rows run again. Called when the app closes.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    liveTokens.delete(this.token);
    if (this.ctx.db.open) {
      for (const [rowId, a] of this.active) {
        if (a.runId) this.launcher.cancel(a.runId);
        const row = queueRow(this.ctx.db, rowId);
        if (!row) continue;
        // Closing is not the run's fault: the attempt does not count against the retry limit.
        if (a.runId) this.ctx.db.prepare('UPDATE comparison_runs SET attempts = MAX(0, attempts - 1) WHERE id = ?').run(rowId);
        if (row.status === 'running') markRun(this.ctx.db, rowId, 'pending');
      }
      this.ctx.db
        .prepare("UPDATE comparisons SET owner_pid = NULL, owner_token = NULL WHERE owner_token = ? AND status IN ('queued', 'running')")
        .run(this.token);
    }
    this.active.clear();
    for (const list of this.settled.values()) for (const resolve of list) resolve();
    this.settled.clear();
  }

  private owned(): ComparisonRow[] {
    return unfinishedComparisons(this.ctx.db).filter((c) => c.ownerToken === this.token && c.status !== 'cancelled');
  }

  private pump(): void {
    if (this.closed) return;
    // A comparison removed with its dataset frees its slots, even if its run never reports back.
    for (const [rowId, a] of this.active) if (!findComparison(this.ctx.db, a.comparisonId)) this.active.delete(rowId);
    for (const c of this.owned()) {
      const rows = queueRows(this.ctx.db, c.id).filter((r) => r.status === 'pending');
      for (const row of rows) {
        if (this.active.size >= c.config.concurrency) return;
        this.launch(c, row);
      }
    }
  }

  private launch(c: ComparisonRow, row: QueueRow): void {
    const db = this.ctx.db;
    const arm = c.config.arms[row.armIndex];
    this.active.set(row.id, { comparisonId: c.id, runId: null });
    db.prepare("UPDATE comparison_runs SET status = 'running' WHERE id = ?").run(row.id);
    if (c.status === 'queued') setComparisonStatus(db, c.id, 'running');
    this.emitProgress(c.id);
    void (async () => {
      let outcome: { status: 'done' | 'failed' | 'cancelled'; error: string | null };
      try {
        if (!arm) throw new Error(`arm #${row.armIndex + 1} is missing from the comparison's configuration`);
        const runId = await this.launcher.start({
          datasetId: c.datasetId,
          comparisonId: c.id,
          arm: arm.name,
          repeat: row.repeat,
          config: trainConfigFor(c.config, arm, row),
          concurrency: c.config.concurrency,
        });
        if (this.closed) return this.launcher.cancel(runId);
        const active = this.active.get(row.id);
        if (active) active.runId = runId;
        markRunStarted(db, row.id, runId);
        if (getComparison(db, c.id).status === 'cancelled') this.launcher.cancel(runId);
        else this.emitProgress(c.id);
        outcome = await this.launcher.wait(runId);
      } catch (err) {
        outcome = { status: 'failed', error: err instanceof Error ? err.message : String(err) };
      }
      if (this.closed) return;
      this.active.delete(row.id);
      // The comparison may be gone (its dataset was removed while the run trained): nothing to record.
      if (findComparison(db, c.id)) {
        markRun(db, row.id, outcome.status, outcome.error);
        setVerdict(db, c.id, this.hooks.verdict(c.id));
        this.finishIfSettled(c.id);
        this.emitProgress(c.id);
      }
      this.pump();
    })();
  }

  private finishIfSettled(comparisonId: number): void {
    const db = this.ctx.db;
    const rows = queueRows(db, comparisonId);
    if (rows.some((r) => r.status === 'pending' || r.status === 'running')) return;
    const c = getComparison(db, comparisonId);
    if (c.status === 'queued' || c.status === 'running') {
      const anyDone = rows.some((r) => r.status === 'done');
      const error = anyDone ? null : (rows.find((r) => r.error)?.error ?? 'no run finished');
      setComparisonStatus(db, comparisonId, anyDone ? 'done' : 'failed', { error });
    }
    setVerdict(db, comparisonId, this.hooks.verdict(comparisonId));
    this.emitProgress(comparisonId);
    for (const resolve of this.settled.get(comparisonId) ?? []) resolve();
    this.settled.delete(comparisonId);
  }

  progress(comparisonId: number): ComparisonProgress {
    return comparisonProgress(this.ctx.db, comparisonId);
  }

  private emitProgress(comparisonId: number): void {
    this.ctx.events.emit('compare.progress', this.progress(comparisonId));
  }
}
