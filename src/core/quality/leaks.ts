import type { SplitName } from '../../shared/api/common.js';
import type { Db } from '../db/open-db.js';
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

/**
 * What split assignment does after placing images: a group whose members the app placed (not the
 * folder layout) ended up in several splits is put together again. Members placed by the folder
 * layout stay where the folders say and pull the group to their split; leaks between folder splits
 * themselves are left for the user to see in the leak report.
 */
export function keepGroupsTogether(db: Db, datasetId: number): number {
  const moves = new Map<number, SplitName>();
  for (const g of duplicateGroups(db, datasetId, duplicateThreshold(db, datasetId))) {
    const placed = g.members.filter((m) => m.split !== null);
    if (splitsOf(placed).size < 2) continue;
    const folder = placed.filter((m) => m.splitSource === 'folder');
    const target = groupTarget(folder.length ? folder : placed);
    if (!target) continue;
    for (const m of placed) if (m.splitSource !== 'folder' && m.split !== target) moves.set(m.imageId, target);
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
