import {
  runData,
  runMetrics,
  trainConfig,
  type EpochLog,
  type RunData,
  type RunDetail,
  type RunErrorCode,
  type RunMetrics,
  type RunStatus,
  type RunSummary,
  type TrainBackendName,
  type TrainConfig,
} from '../../shared/api/train.js';
import { ApiError } from '../../shared/api/errors.js';
import type { Db } from '../db/open-db.js';

/** Reads and writes the runs, run_epochs and run_results tables; only the parent process calls it. */

const NOW = "strftime('%Y-%m-%dT%H:%M:%fZ','now')";

interface RunRow {
  id: string;
  dataset_id: number;
  comparison_id: number | null;
  arm: string | null;
  repeat: number | null;
  config: string;
  data: string | null;
  backend: TrainBackendName | null;
  status: RunStatus;
  error: string | null;
  error_code: RunErrorCode | null;
  max_epochs: number;
  model_path: string | null;
  owner_pid: number | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  epochs_done: number;
  val_acc: number | null;
}

const SELECT_RUN = `
  SELECT r.*, (SELECT COUNT(*) FROM run_epochs e WHERE e.run_id = r.id) AS epochs_done,
         (SELECT json_extract(x.metrics, '$.valAcc') FROM run_results x WHERE x.run_id = r.id) AS val_acc
    FROM runs r`;

function summary(r: RunRow): RunSummary {
  return {
    id: r.id,
    datasetId: r.dataset_id,
    comparisonId: r.comparison_id,
    arm: r.arm,
    repeat: r.repeat,
    status: r.status,
    backend: r.backend,
    error: r.error,
    errorCode: r.error_code,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    epochsDone: r.epochs_done,
    maxEpochs: r.max_epochs,
    valAcc: r.val_acc,
    modelPath: r.model_path,
  };
}

export interface NewRun {
  id: string;
  datasetId: number;
  comparisonId: number | null;
  arm: string | null;
  repeat: number | null;
  config: TrainConfig;
  data: RunData;
}

export function insertRun(db: Db, run: NewRun): void {
  db.prepare(
    `INSERT INTO runs (id, dataset_id, comparison_id, arm, repeat, config, data, status, max_epochs, owner_pid)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)`,
  ).run(run.id, run.datasetId, run.comparisonId, run.arm, run.repeat, JSON.stringify(run.config), JSON.stringify(run.data), run.config.epochs, process.pid);
}

export function markRunning(db: Db, runId: string): void {
  db.prepare(`UPDATE runs SET status = 'running', started_at = ${NOW}, owner_pid = ? WHERE id = ?`).run(process.pid, runId);
}

export function setBackend(db: Db, runId: string, backend: TrainBackendName): void {
  db.prepare('UPDATE runs SET backend = ? WHERE id = ?').run(backend, runId);
}

const nullIfNotFinite = (x: number | null) => (x !== null && Number.isFinite(x) ? x : null);

export function insertEpoch(db: Db, runId: string, log: EpochLog): void {
  db.prepare('INSERT OR REPLACE INTO run_epochs (run_id, epoch, loss, acc, val_loss, val_acc, seconds) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    runId,
    log.epoch,
    nullIfNotFinite(log.loss),
    nullIfNotFinite(log.acc),
    nullIfNotFinite(log.valLoss),
    nullIfNotFinite(log.valAcc),
    log.seconds,
  );
}

export function finishRun(db: Db, runId: string, metrics: RunMetrics, modelPath: string): void {
  db.transaction(() => {
    db.prepare('INSERT OR REPLACE INTO run_results (run_id, metrics) VALUES (?, ?)').run(runId, JSON.stringify(metrics));
    db.prepare(`UPDATE runs SET status = 'done', error = NULL, error_code = NULL, model_path = ?, finished_at = ${NOW} WHERE id = ?`).run(modelPath, runId);
  })();
}

/** Ends a run as failed (with why) or cancelled; a run already ended keeps its first outcome. */
export function endRun(db: Db, runId: string, status: 'failed' | 'cancelled', error: string | null, code: RunErrorCode | null = null): boolean {
  const r = db
    .prepare(`UPDATE runs SET status = ?, error = ?, error_code = ?, finished_at = ${NOW} WHERE id = ? AND status IN ('queued', 'running')`)
    .run(status, error, status === 'failed' ? (code ?? 'internal') : null, runId);
  return r.changes > 0;
}

/** A run to resume: queued again (owned by this process), its outcome cleared, the epochs after its checkpoint dropped. */
export function requeueRun(db: Db, runId: string, checkpointEpoch: number): void {
  db.transaction(() => {
    db.prepare(`UPDATE runs SET status = 'queued', error = NULL, error_code = NULL, finished_at = NULL, owner_pid = ? WHERE id = ?`).run(process.pid, runId);
    db.prepare('DELETE FROM run_epochs WHERE run_id = ? AND epoch > ?').run(runId, checkpointEpoch);
    db.prepare('DELETE FROM run_results WHERE run_id = ?').run(runId);
  })();
}

export function getRunSummary(db: Db, runId: string): RunSummary | null {
  const row = db.prepare(`${SELECT_RUN} WHERE r.id = ?`).get(runId) as RunRow | undefined;
  return row ? summary(row) : null;
}

export function requireRun(db: Db, runId: string): RunSummary {
  const run = getRunSummary(db, runId);
  if (!run) throw new ApiError('not_found', `There is no training run "${runId}".`);
  return run;
}

/** A run as the database holds it: everything of RunDetail but what the run's files tell (its checkpoint). */
export type RunRecord = Omit<RunDetail, 'resumeFrom'>;

/** A run's epoch logs in order, those after `after` only. */
export function epochsOf(db: Db, runId: string, after = 0): EpochLog[] {
  const rows = db.prepare('SELECT epoch, loss, acc, val_loss, val_acc, seconds FROM run_epochs WHERE run_id = ? AND epoch > ? ORDER BY epoch').all(runId, after) as {
    epoch: number;
    loss: number | null;
    acc: number | null;
    val_loss: number | null;
    val_acc: number | null;
    seconds: number;
  }[];
  return rows.map((e) => ({ epoch: e.epoch, loss: e.loss, acc: e.acc, valLoss: e.val_loss, valAcc: e.val_acc, seconds: e.seconds }));
}

export function getRunDetail(db: Db, runId: string): RunRecord {
  const row = db.prepare(`${SELECT_RUN} WHERE r.id = ?`).get(runId) as RunRow | undefined;
  if (!row) throw new ApiError('not_found', `There is no training run "${runId}".`);
  const epochs = epochsOf(db, runId);
  const result = db.prepare('SELECT metrics FROM run_results WHERE run_id = ?').get(runId) as { metrics: string } | undefined;
  return {
    ...summary(row),
    config: trainConfig.parse(JSON.parse(row.config)),
    data: row.data ? runData.parse(JSON.parse(row.data)) : null,
    epochs,
    metrics: result ? runMetrics.parse(JSON.parse(result.metrics)) : null,
  };
}

export interface RunFilter {
  datasetId?: number;
  comparisonId?: number;
  status?: RunStatus;
  limit: number;
}

export function listRuns(db: Db, filter: RunFilter): RunSummary[] {
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (filter.datasetId !== undefined) {
    where.push('r.dataset_id = ?');
    args.push(filter.datasetId);
  }
  if (filter.comparisonId !== undefined) {
    where.push('r.comparison_id = ?');
    args.push(filter.comparisonId);
  }
  if (filter.status !== undefined) {
    where.push('r.status = ?');
    args.push(filter.status);
  }
  const sql = `${SELECT_RUN} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY r.created_at DESC, r.id DESC LIMIT ?`;
  return (db.prepare(sql).all(...args, filter.limit) as RunRow[]).map(summary);
}

export function deleteRunRow(db: Db, runId: string): boolean {
  return db.prepare('DELETE FROM runs WHERE id = ?').run(runId).changes > 0;
}

/** Whether a process with this pid is running (ours to signal or not). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live process other than this one that has this run queued or training; null when none has. */
export function trainingElsewhere(db: Db, runId: string): number | null {
  const r = db.prepare("SELECT owner_pid FROM runs WHERE id = ? AND status IN ('queued', 'running')").get(runId) as { owner_pid: number | null } | undefined;
  const pid = r?.owner_pid ?? null;
  return pid !== null && pid !== process.pid && processAlive(pid) ? pid : null;
}

/**
 * Runs left queued or running by a process that is gone (the app or CLI was killed) can never
 * finish: they are marked failed so lists and comparisons do not wait on them forever.
 */
export function failOrphanedRuns(db: Db): number {
  const open = db.prepare("SELECT id, owner_pid FROM runs WHERE status IN ('queued', 'running')").all() as { id: string; owner_pid: number | null }[];
  let n = 0;
  for (const r of open) {
    if (r.owner_pid !== null && processAlive(r.owner_pid)) continue;
    if (endRun(db, r.id, 'failed', 'Interrupted: the program that ran it closed before it finished.', 'interrupted')) n++;
  }
  return n;
}
