import { z } from 'zod';
import type { Db } from '../db/open-db.js';
import type { RunOutcome } from './results.js';

/** The part of a run's recorded metrics a comparison reads (the train domain owns the full shape). */
const recordedMetrics = z.object({
  trainAcc: z.number(),
  valAcc: z.number(),
  val: z.object({ macroAuc: z.number().nullable() }),
  test: z.object({ accuracy: z.number() }).nullable(),
  seconds: z.number().optional(),
  trainableParams: z.number().nullable().optional(),
});

interface RunRow {
  id: string;
  backend: string | null;
  metrics: string | null;
}

interface EpochRow {
  run_id: string;
  epoch: number;
  acc: number | null;
  val_acc: number | null;
}

/** Final metrics and per-epoch curves of finished runs, read from the runs tables. */
export function readOutcomes(db: Db, runIds: readonly string[]): Map<string, RunOutcome> {
  const out = new Map<string, RunOutcome>();
  if (!runIds.length) return out;
  const ids = JSON.stringify(runIds);
  const runs = db
    .prepare(
      `SELECT r.id AS id, r.backend AS backend, rr.metrics AS metrics FROM runs r LEFT JOIN run_results rr ON rr.run_id = r.id
       WHERE r.id IN (SELECT value FROM json_each(?))`,
    )
    .all(ids) as RunRow[];
  const epochs = db
    .prepare('SELECT run_id, epoch, acc, val_acc FROM run_epochs WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY run_id, epoch')
    .all(ids) as EpochRow[];
  const curves = new Map<string, RunOutcome['curve']>();
  for (const e of epochs) {
    const list = curves.get(e.run_id) ?? [];
    list.push({ epoch: e.epoch, trainAcc: e.acc, valAcc: e.val_acc });
    curves.set(e.run_id, list);
  }
  for (const r of runs) {
    const parsed = r.metrics ? recordedMetrics.safeParse(JSON.parse(r.metrics)) : null;
    const m = parsed?.success ? parsed.data : null;
    const curve = curves.get(r.id) ?? [];
    out.set(r.id, {
      trainAcc: m?.trainAcc ?? null,
      valAcc: m?.valAcc ?? null,
      testAcc: m?.test?.accuracy ?? null,
      macroAuc: m?.val.macroAuc ?? null,
      epochs: curve.length || null,
      backend: r.backend,
      trainableParams: m?.trainableParams ?? null,
      seconds: m?.seconds ?? null,
      curve,
    });
  }
  return out;
}
