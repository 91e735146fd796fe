import type { ComparisonDetail, ComparisonSummary } from '../../shared/api/compare.js';
import type { Db } from '../db/open-db.js';
import { readOutcomes } from './outcomes.js';
import { aggregate, type RunForResults } from './results.js';
import { getComparison, queueRows, type ComparisonRow } from './store.js';

function summary(c: ComparisonRow, counts: { total: number; done: number; failed: number }): ComparisonSummary {
  return {
    id: c.id,
    datasetId: c.datasetId,
    name: c.name,
    preset: c.preset,
    status: c.status,
    ...counts,
    createdAt: c.createdAt,
    finishedAt: c.finishedAt,
    verdict: c.verdict,
  };
}

export function comparisonSummary(db: Db, c: ComparisonRow): ComparisonSummary {
  const n = db
    .prepare(
      `SELECT COUNT(*) AS total, SUM(status = 'done') AS done, SUM(status = 'failed') AS failed FROM comparison_runs WHERE comparison_id = ?`,
    )
    .get(c.id) as { total: number; done: number | null; failed: number | null };
  return summary(c, { total: n.total, done: n.done ?? 0, failed: n.failed ?? 0 });
}

/** A comparison with every run's numbers and the statistics computed from them. */
export function comparisonDetail(db: Db, id: number): ComparisonDetail {
  const c = getComparison(db, id);
  const rows = queueRows(db, id);
  const outcomes = readOutcomes(
    db,
    rows.flatMap((r) => (r.runId ? [r.runId] : [])),
  );
  const forResults: RunForResults[] = rows.map((r) => ({
    armIndex: r.armIndex,
    arm: r.arm,
    repeat: r.repeat,
    fraction: r.fraction,
    status: r.status,
    outcome: r.status === 'done' && r.runId ? (outcomes.get(r.runId) ?? null) : null,
  }));
  const agg = aggregate(c.config, forResults);
  const counts = { total: rows.length, done: rows.filter((r) => r.status === 'done').length, failed: rows.filter((r) => r.status === 'failed').length };
  return {
    ...summary(c, counts),
    // The stored verdict lags by at most one run; the one computed now is always current.
    verdict: agg.verdict,
    config: c.config,
    metric: agg.metric,
    arms: agg.arms,
    vsBaseline: agg.vsBaseline,
    curves: agg.curves,
    runs: rows.map((r) => {
      const o = r.runId ? outcomes.get(r.runId) : undefined;
      return {
        id: r.id,
        arm: r.arm,
        armIndex: r.armIndex,
        repeat: r.repeat,
        fraction: r.fraction,
        seed: r.seed,
        status: r.status,
        runId: r.runId,
        attempts: r.attempts,
        error: r.error,
        trainAcc: o?.trainAcc ?? null,
        valAcc: o?.valAcc ?? null,
        testAcc: o?.testAcc ?? null,
        macroAuc: o?.macroAuc ?? null,
        epochs: o?.epochs ?? null,
        backend: o?.backend ?? null,
      };
    }),
  };
}

/** The verdict from the runs finished so far (what the queue stores after each run). */
export function currentVerdict(db: Db, id: number): string | null {
  return comparisonDetail(db, id).verdict;
}
