import {
  comparisonConfig,
  type ComparisonConfig,
  type ComparisonProgress,
  type ComparisonRunStatus,
  type ComparisonStatus,
  type PresetId,
} from '../../shared/api/compare.js';
import { ApiError } from '../../shared/api/errors.js';
import type { Db } from '../db/open-db.js';
import type { PlannedRun } from './pairing.js';

/** Data access for comparisons and their queue rows; nothing here trains or decides. */

export interface ComparisonRow {
  id: number;
  datasetId: number;
  name: string;
  preset: PresetId | null;
  config: ComparisonConfig;
  status: ComparisonStatus;
  verdict: string | null;
  error: string | null;
  ownerPid: number | null;
  ownerToken: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface QueueRow {
  id: number;
  comparisonId: number;
  armIndex: number;
  arm: string;
  repeat: number;
  fraction: number;
  seed: number;
  runId: string | null;
  status: ComparisonRunStatus;
  attempts: number;
  error: string | null;
}

interface RawComparison {
  id: number;
  dataset_id: number;
  name: string;
  preset: string | null;
  config: string;
  status: ComparisonStatus;
  verdict: string | null;
  error: string | null;
  owner_pid: number | null;
  owner_token: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

interface RawQueueRow {
  id: number;
  comparison_id: number;
  arm_index: number;
  arm: string;
  repeat: number;
  fraction: number;
  seed: number;
  run_id: string | null;
  status: ComparisonRunStatus;
  attempts: number;
  error: string | null;
}

function toComparison(r: RawComparison): ComparisonRow {
  return {
    id: r.id,
    datasetId: r.dataset_id,
    name: r.name,
    preset: r.preset as PresetId | null,
    config: comparisonConfig.parse(JSON.parse(r.config)),
    status: r.status,
    verdict: r.verdict,
    error: r.error,
    ownerPid: r.owner_pid,
    ownerToken: r.owner_token,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

function toQueueRow(r: RawQueueRow): QueueRow {
  return {
    id: r.id,
    comparisonId: r.comparison_id,
    armIndex: r.arm_index,
    arm: r.arm,
    repeat: r.repeat,
    fraction: r.fraction,
    seed: r.seed,
    runId: r.run_id,
    status: r.status,
    attempts: r.attempts,
    error: r.error,
  };
}

const now = "strftime('%Y-%m-%dT%H:%M:%fZ','now')";

export function insertComparison(
  db: Db,
  c: { datasetId: number; name: string; preset: PresetId | null; config: ComparisonConfig },
  plan: readonly PlannedRun[],
): number {
  return db.transaction(() => {
    const { lastInsertRowid } = db
      .prepare("INSERT INTO comparisons (dataset_id, name, preset, config, status) VALUES (?, ?, ?, ?, 'queued')")
      .run(c.datasetId, c.name, c.preset, JSON.stringify(c.config));
    const id = Number(lastInsertRowid);
    const insert = db.prepare(
      "INSERT INTO comparison_runs (comparison_id, arm_index, arm, repeat, fraction, seed, status) VALUES (?, ?, ?, ?, ?, ?, 'pending')",
    );
    for (const p of plan) insert.run(id, p.armIndex, p.arm, p.repeat, p.fraction, p.seed);
    return id;
  })();
}

export function findComparison(db: Db, id: number): ComparisonRow | null {
  const r = db.prepare('SELECT * FROM comparisons WHERE id = ?').get(id) as RawComparison | undefined;
  return r ? toComparison(r) : null;
}

export function getComparison(db: Db, id: number): ComparisonRow {
  const c = findComparison(db, id);
  if (!c) throw new ApiError('not_found', `There is no comparison ${id}.`);
  return c;
}

export function listComparisons(db: Db, datasetId?: number): ComparisonRow[] {
  const rows = (
    datasetId === undefined
      ? db.prepare('SELECT * FROM comparisons ORDER BY id DESC').all()
      : db.prepare('SELECT * FROM comparisons WHERE dataset_id = ? ORDER BY id DESC').all(datasetId)
  ) as RawComparison[];
  return rows.map(toComparison);
}

/** Comparisons a queue may have to (re)start: not finished, owned by anyone. */
export function unfinishedComparisons(db: Db): ComparisonRow[] {
  return (db.prepare("SELECT * FROM comparisons WHERE status IN ('queued', 'running') ORDER BY id").all() as RawComparison[]).map(
    toComparison,
  );
}

export function queueRows(db: Db, comparisonId: number): QueueRow[] {
  return (
    db.prepare('SELECT * FROM comparison_runs WHERE comparison_id = ? ORDER BY repeat, fraction, arm_index').all(comparisonId) as RawQueueRow[]
  ).map(toQueueRow);
}

/** Where a comparison stands, as its compare.progress event tells it. */
export function comparisonProgress(db: Db, comparisonId: number): ComparisonProgress {
  const c = getComparison(db, comparisonId);
  const rows = queueRows(db, comparisonId);
  const count = (s: QueueRow['status']) => rows.filter((r) => r.status === s).length;
  return {
    comparisonId,
    status: c.status,
    total: rows.length,
    done: count('done'),
    failed: count('failed'),
    cancelled: count('cancelled'),
    running: rows.filter((r) => r.status === 'running').map((r) => ({ runId: r.runId, arm: r.arm, repeat: r.repeat, fraction: r.fraction })),
    pending: count('pending'),
    verdict: c.verdict,
  };
}

export function queueRow(db: Db, id: number): QueueRow | null {
  const r = db.prepare('SELECT * FROM comparison_runs WHERE id = ?').get(id) as RawQueueRow | undefined;
  return r ? toQueueRow(r) : null;
}

/** Claims a comparison for this process; returns false when another owner holds it (checked atomically). */
export function claimComparison(db: Db, id: number, expected: { pid: number | null; token: string | null }, owner: { pid: number; token: string }): boolean {
  const r = db
    .prepare(
      `UPDATE comparisons SET owner_pid = ?, owner_token = ?
       WHERE id = ? AND owner_pid IS ? AND owner_token IS ? AND status IN ('queued', 'running')`,
    )
    .run(owner.pid, owner.token, id, expected.pid, expected.token);
  return r.changes === 1;
}

export function setComparisonStatus(db: Db, id: number, status: ComparisonStatus, extra: { verdict?: string | null; error?: string | null } = {}): void {
  const finished = status === 'done' || status === 'failed' || status === 'cancelled';
  db.prepare(
    `UPDATE comparisons SET status = ?,
       verdict = COALESCE(?, verdict),
       error = COALESCE(?, error),
       started_at = CASE WHEN ? = 'running' AND started_at IS NULL THEN ${now} ELSE started_at END,
       finished_at = CASE WHEN ? THEN ${now} ELSE finished_at END
     WHERE id = ?`,
  ).run(status, extra.verdict ?? null, extra.error ?? null, status, finished ? 1 : 0, id);
}

export function setVerdict(db: Db, id: number, verdict: string | null): void {
  db.prepare('UPDATE comparisons SET verdict = ? WHERE id = ?').run(verdict, id);
}

export function markRunStarted(db: Db, rowId: number, runId: string): void {
  db.prepare("UPDATE comparison_runs SET status = 'running', run_id = ?, attempts = attempts + 1, error = NULL WHERE id = ?").run(runId, rowId);
}

export function markRun(db: Db, rowId: number, status: ComparisonRunStatus, error: string | null = null): void {
  db.prepare('UPDATE comparison_runs SET status = ?, error = ? WHERE id = ?').run(status, error, rowId);
}

/** Pending rows of a comparison never start; returns how many were cancelled. */
export function cancelPending(db: Db, comparisonId: number): number {
  return db.prepare("UPDATE comparison_runs SET status = 'cancelled' WHERE comparison_id = ? AND status = 'pending'").run(comparisonId).changes;
}

export function deleteComparison(db: Db, id: number): void {
  db.prepare('DELETE FROM comparisons WHERE id = ?').run(id);
}
