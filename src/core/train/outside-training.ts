import type { RunErrorCode, RunStatus } from '../../shared/api/train.js';
import type { EventBus } from '../context.js';
import type { Db } from '../db/open-db.js';
import { comparisonProgress } from '../compare/store.js';
import { stmt } from '../library/statements.js';
import { epochsOf, processAlive } from './run-store.js';

interface RunRow {
  id: string;
  dataset_id: number;
  comparison_id: number | null;
  status: RunStatus;
  error: string | null;
  error_code: RunErrorCode | null;
  max_epochs: number;
  owner_pid: number | null;
  epochs: number;
}

const isOpen = (status: string) => status === 'queued' || status === 'running';

/**
 * Runs and comparisons that other processes train (`smallset train` or `compare` in a terminal)
 * reach this process only through the library file. Each check turns what changed there since the
 * last one into the events this process's own training sends (run.status, run.epoch,
 * compare.progress), so open pages follow that work the same way. Work owned by this process is
 * left alone: it announces itself.
 */
export class OutsideTraining {
  private readonly runs = new Map<string, { status: RunStatus; epochs: number; owner: number | null }>();
  private readonly comparisons = new Map<number, { print: string; owner: number | null }>();

  constructor(
    private readonly db: Db,
    private readonly events: EventBus,
  ) {}

  check(): void {
    this.checkRuns();
    this.checkComparisons();
  }

  /**
   * Whether a program whose training is followed here has gone without finishing it (killed,
   * crashed). Work with no owner yet is not gone: a comparison another program has just queued is
   * claimed by it a moment later, and must not be taken from it.
   */
  ownerGone(): boolean {
    const owners = [...this.runs.values(), ...this.comparisons.values()].map((w) => w.owner);
    return owners.some((pid) => pid !== null && !processAlive(pid));
  }

  private checkRuns(): void {
    const rows = stmt(
      this.db,
      `SELECT r.id, r.dataset_id, r.comparison_id, r.status, r.error, r.error_code, r.max_epochs, r.owner_pid,
              (SELECT count(*) FROM run_epochs e WHERE e.run_id = r.id) AS epochs
         FROM runs r
        WHERE r.owner_pid IS NOT ? AND (r.status IN ('queued', 'running') OR r.id IN (SELECT value FROM json_each(?)))`,
    ).all(process.pid, JSON.stringify([...this.runs.keys()])) as RunRow[];
    const present = new Set(rows.map((r) => r.id));
    for (const id of this.runs.keys()) if (!present.has(id)) this.runs.delete(id);
    for (const r of rows) {
      const seen = this.runs.get(r.id);
      if (seen && r.epochs > seen.epochs) this.announceEpochs(r, seen.epochs);
      if (seen?.status !== r.status) {
        this.events.emit('run.status', { runId: r.id, datasetId: r.dataset_id, comparisonId: r.comparison_id, status: r.status, error: r.error, errorCode: r.error_code });
      }
      if (isOpen(r.status)) this.runs.set(r.id, { status: r.status, epochs: r.epochs, owner: r.owner_pid });
      else this.runs.delete(r.id);
    }
  }

  private announceEpochs(run: RunRow, after: number): void {
    for (const log of epochsOf(this.db, run.id, after)) this.events.emit('run.epoch', { ...log, runId: run.id, epochs: run.max_epochs });
  }

  private checkComparisons(): void {
    const rows = stmt(
      this.db,
      `SELECT id, owner_pid FROM comparisons WHERE owner_pid IS NOT ? AND (status IN ('queued', 'running') OR id IN (SELECT value FROM json_each(?)))`,
    ).all(process.pid, JSON.stringify([...this.comparisons.keys()])) as { id: number; owner_pid: number | null }[];
    const present = new Set(rows.map((r) => r.id));
    for (const id of this.comparisons.keys()) if (!present.has(id)) this.comparisons.delete(id);
    for (const { id, owner_pid: owner } of rows) {
      const progress = comparisonProgress(this.db, id);
      const print = JSON.stringify(progress);
      if (this.comparisons.get(id)?.print !== print) this.events.emit('compare.progress', progress);
      if (isOpen(progress.status)) this.comparisons.set(id, { print, owner });
      else this.comparisons.delete(id);
    }
  }
}
