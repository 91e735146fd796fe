import type { SplitName } from '../../shared/api/common.js';
import type { Db } from '../db/open-db.js';
import { storedSplitConfig } from '../library/split-dataset.js';
import { stmt } from '../library/statements.js';
import { duplicateGroups, type DuplicateGroup, type GroupMember } from './duplicate-groups.js';
import { duplicateThreshold } from './settings.js';

const ORDER: readonly SplitName[] = ['train', 'val', 'test'];

export interface LeakReport {
  threshold: number;
  /** Groups whose members sit in more than one split. */
  groups: DuplicateGroup[];
  /** Images in those groups outside the split the fix would move them to. */
  images: number;
}

function splitsOf(members: readonly GroupMember[]): Set<SplitName> {
  return new Set(members.flatMap((m) => (m.split ? [m.split] : [])));
}

/** The split a group belongs on: where most of its members are (ties: train, then val, then test). */
export function groupTarget(members: readonly GroupMember[]): SplitName | null {
  const counts = new Map<SplitName, number>();
  for (const m of members) if (m.split) counts.set(m.split, (counts.get(m.split) ?? 0) + 1);
  let best: SplitName | null = null;
  for (const s of ORDER) if ((counts.get(s) ?? 0) > (best ? counts.get(best)! : 0)) best = s;
  return best;
}

export function leakReport(db: Db, datasetId: number, threshold = duplicateThreshold(db, datasetId), all?: readonly DuplicateGroup[]): LeakReport {
  const groups = (all ?? duplicateGroups(db, datasetId, threshold)).filter((g) => splitsOf(g.members).size > 1);
  let images = 0;
  for (const g of groups) {
    const target = groupTarget(g.members);
    images += g.members.filter((m) => m.split && m.split !== target).length;
  }
  return { threshold, groups, images };
}

function moveMembers(db: Db, moves: Map<number, SplitName>): void {
  const set = stmt(db, "UPDATE images SET split = ?, split_source = 'assigned' WHERE id = ?");
  for (const [id, split] of moves) set.run(split, id);
}

/**
 * Fixes leaks: every member of each leaking group (all of them, or those in `groupIds`) moves to
 * the group's split, folder-placed ones included. Returns how many images moved.
 */
export function fixLeaks(db: Db, datasetId: number, groupIds?: readonly number[]): { moved: number; groups: number } {
  return db.transaction(() => {
    const wanted = groupIds ? new Set(groupIds) : null;
    const moves = new Map<number, SplitName>();
    let groups = 0;
    for (const g of leakReport(db, datasetId).groups) {
      if (wanted && !wanted.has(g.id)) continue;
      const target = groupTarget(g.members)!;
      groups++;
      for (const m of g.members) if (m.split && m.split !== target) moves.set(m.imageId, target);
    }
    moveMembers(db, moves);
    return { moved: moves.size, groups };
  })();
}

type Fractions = Record<SplitName, number>;

/** The fractions of the dataset's stored split configuration, if it has one. */
function storedFractions(db: Db, datasetId: number): Fractions | null {
  const config = storedSplitConfig(db, datasetId);
  const sum = config ? config.train + config.val + config.test : 0;
  return config && sum > 0 ? { train: config.train / sum, val: config.val / sum, test: config.test / sum } : null;
}

/**
 * Among the splits a group's members sit in, the one that keeps the dataset's split sizes closest
 * to the requested fractions once the whole group is there (ties: where most members are, then
 * train, val, test). `counts` are the current split sizes.
 */
function balancedTarget(members: readonly GroupMember[], counts: Record<SplitName, number>, fractions: Fractions): SplitName {
  const total = ORDER.reduce((n, s) => n + counts[s], 0);
  const inSplit = (s: SplitName) => members.filter((m) => m.split === s).length;
  const deviation = (target: SplitName) =>
    ORDER.reduce((d, s) => d + Math.abs(counts[s] + (s === target ? members.length : 0) - inSplit(s) - fractions[s] * total), 0);
  const candidates = ORDER.filter((s) => inSplit(s) > 0).sort((a, b) => deviation(a) - deviation(b) || inSplit(b) - inSplit(a) || ORDER.indexOf(a) - ORDER.indexOf(b));
  return candidates[0]!;
}

/**
 * What split assignment does after placing images: a group whose members the app placed (not the
 * folder layout) ended up in several splits is put together again, in the split that keeps the
 * split sizes closest to the dataset's requested fractions (so keeping groups whole does not drift
 * the ratios towards train). Members placed by the folder layout stay where the folders say and
 * pull the group to their split; leaks between folder splits themselves are left for the user to
 * see in the leak report. Groups are the near-duplicate groups of duplicateGroups, which never
 * chain: keeping a look-alike family together would move far more images than its copies.
 */
export function keepGroupsTogether(db: Db, datasetId: number): number {
  const moves = new Map<number, SplitName>();
  const fractions = storedFractions(db, datasetId);
  const counts: Record<SplitName, number> = { train: 0, val: 0, test: 0 };
  const sizes = stmt(db, 'SELECT split, COUNT(*) AS n FROM images WHERE dataset_id = ? AND missing = 0 AND error IS NULL AND split IS NOT NULL GROUP BY split').all(datasetId) as {
    split: SplitName;
    n: number;
  }[];
  for (const r of sizes) counts[r.split] = r.n;
  for (const g of duplicateGroups(db, datasetId, duplicateThreshold(db, datasetId))) {
    const placed = g.members.filter((m) => m.split !== null);
    if (splitsOf(placed).size < 2) continue;
    const folder = placed.filter((m) => m.splitSource === 'folder');
    const target = folder.length ? groupTarget(folder) : fractions ? balancedTarget(placed, counts, fractions) : groupTarget(placed);
    if (!target) continue;
    for (const m of placed) {
      if (m.splitSource === 'folder' || m.split === target) continue;
      moves.set(m.imageId, target);
      counts[m.split!]--;
      counts[target]++;
    }
  }
  moveMembers(db, moves);
  return moves.size;
}

/** What a comparison on a leaking split is told (null when the split does not leak). */
export function leakWarning(db: Db, datasetId: number): string | null {
  const { groups, images } = leakReport(db, datasetId);
  if (!groups.length) return null;
  return (
    `${groups.length} near-duplicate group${groups.length === 1 ? '' : 's'} ${groups.length === 1 ? 'sits' : 'sit'} in more than one split ` +
    `(${images} image${images === 1 ? '' : 's'} to move): validation and test accuracy will read too high. ` +
    'Fix the split in the Quality view (or `smallset issues <dataset> --fix-leaks`) and compare again.'
  );
}
