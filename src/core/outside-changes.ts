import type { AppContext } from './context.js';
import { changedDatasets, datasetFingerprints } from './library/dataset-fingerprints.js';
import { pluck } from './library/statements.js';
import { OutsideTraining } from './train/outside-training.js';
import { failOrphanedRuns } from './train/run-store.js';
import { resumeComparisons } from './compare/queue-for-context.js';

/** How often the library file is checked for commits from other processes. */
export const WATCH_EVERY_MS = 1000;

/**
 * Tells the open pages what other processes do with the library: `smallset label`, `import`,
 * `split`, `train` or `compare` in a terminal, a second app on the same data folder. SQLite's
 * data_version moves only for other connections' commits, so a quiet second costs two pragmas.
 * This process's own changes announce themselves; here they only move the baseline. Returns the
 * stop function; it stops with the context too.
 */
export function watchOutsideChanges(ctx: AppContext, everyMs = WATCH_EVERY_MS): () => void {
  const outside = () => pluck(ctx.db, 'PRAGMA data_version').get() as number;
  const own = () => pluck(ctx.db, 'SELECT total_changes()').get() as number;
  const training = new OutsideTraining(ctx.db, ctx.events);
  let seen = { outside: outside(), own: own() };
  let prints = datasetFingerprints(ctx.db);
  training.check();
  const check = () => {
    if (!ctx.db.open) return;
    // A program killed mid-training leaves its work open: it ends here as it would at the next start.
    if (training.ownerGone()) {
      failOrphanedRuns(ctx.db);
      resumeComparisons(ctx);
      training.check();
    }
    const now = { outside: outside(), own: own() };
    if (now.outside === seen.outside && now.own === seen.own) return;
    const fromOutside = now.outside !== seen.outside;
    const next = datasetFingerprints(ctx.db);
    const changed = fromOutside ? changedDatasets(prints, next) : [];
    seen = now;
    prints = next;
    for (const datasetId of changed) ctx.events.emit('library.changed', { datasetId });
    if (fromOutside) training.check();
  };
  const timer = setInterval(check, everyMs);
  timer.unref();
  const stop = () => clearInterval(timer);
  ctx.onClose(stop);
  return stop;
}
