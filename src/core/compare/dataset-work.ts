import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { AppContext } from '../context.js';
import { runManager } from '../train/run-manager.js';
import { endRun } from '../train/run-store.js';
import { compareQueue } from './queue-for-context.js';

const OPEN = "status IN ('queued', 'running')";

/**
 * Stops everything that trains on a dataset, before the dataset is removed: its open comparisons
 * are cancelled (pending runs never start), its queued and running runs are cancelled, and this
 * process's training workers are gone when it resolves. A run another process trains is marked
 * cancelled here; that process stops its worker at the next epoch. Returns every run id of the
 * dataset, so their model folders can go with it.
 */
export async function stopDatasetWork(ctx: AppContext, datasetId: number): Promise<string[]> {
  const db = ctx.db;
  const comparisons = db.prepare(`SELECT id FROM comparisons WHERE dataset_id = ? AND ${OPEN}`).pluck().all(datasetId) as number[];
  if (comparisons.length > 0) {
    const queue = compareQueue(ctx);
    for (const id of comparisons) queue.cancel(id);
  }
  const open = db.prepare(`SELECT id FROM runs WHERE dataset_id = ? AND ${OPEN}`).pluck().all(datasetId) as string[];
  if (open.length > 0) {
    const manager = runManager(ctx);
    for (const id of open) {
      if (!manager.cancel(id)) endRun(db, id, 'cancelled', 'Its dataset was removed.');
    }
    await Promise.all(open.map((id) => manager.waitForRun(id)));
  }
  if (comparisons.length > 0) await Promise.all(comparisons.map((id) => compareQueue(ctx).whenSettled(id)));
  return db.prepare('SELECT id FROM runs WHERE dataset_id = ?').pluck().all(datasetId) as string[];
}

/** Deletes the model folders of runs that are gone. */
export async function removeRunFiles(ctx: AppContext, runIds: readonly string[]): Promise<void> {
  await Promise.all(runIds.map((id) => rm(path.join(ctx.paths.models, id), { recursive: true, force: true })));
}
