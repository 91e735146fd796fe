import type { SplitName } from '../../shared/api/common.js';
import type { Db } from '../db/open-db.js';
import { stmt } from '../library/statements.js';
import { HashIndex } from './hash-index.js';
import { PHASH_INPUT, hashWords, hammingWords, perceptualHash, type HashWords } from './perceptual-hash.js';
import { UnionFind } from './union-find.js';

export interface GroupMember {
  imageId: number;
  relPath: string;
  classId: number | null;
  split: SplitName | null;
  splitSource: 'folder' | 'assigned' | null;
  excluded: boolean;
  /** Bits between this image's hash and the group's first image's (0 for the first and exact copies). */
  distance: number;
  /** Same bytes as the group's first image. */
  exact: boolean;
}

export interface DuplicateGroup {
  /** The smallest image id in the group: stable while the group keeps its first member. */
  id: number;
  members: GroupMember[];
}

interface Row {
  id: number;
  rel_path: string;
  hash: string;
  phash: string | null;
  phash_centre: string | null;
  class_id: number | null;
  split: SplitName | null;
  split_source: 'folder' | 'assigned' | null;
  excluded: number;
}

/**
 * What every flat (single-colour) image hashes to: with no structure, the DCT's sign pattern is the
 * same for any colour, so flat images would all look alike. They are compared by bytes only.
 */
const FLAT_HASH = perceptualHash(new Uint8Array(PHASH_INPUT * PHASH_INPUT).fill(128));

/** The smallest distance between any hash of one image and any of another's (64 when either has none). */
function closest(a: readonly HashWords[] = [], b: readonly HashWords[] = []): number {
  let best = 64;
  for (const x of a) for (const y of b) best = Math.min(best, hammingWords(x, y));
  return best;
}

/**
 * Near-duplicate groups of a dataset's present, readable images: images with the same bytes, or
 * perceptual hashes within `threshold` bits, are linked, and groups are the connected components
 * (so A~B and B~C put A, B, C together even when A and C are further apart). Largest first.
 */
export function duplicateGroups(db: Db, datasetId: number, threshold: number): DuplicateGroup[] {
  const rows = stmt(
    db,
    `SELECT i.id, i.rel_path, i.hash, q.phash, q.phash_centre, i.class_id, i.split, i.split_source, i.excluded
       FROM images i LEFT JOIN image_quality q ON q.image_id = i.id AND q.hash = i.hash
      WHERE i.dataset_id = ? AND i.missing = 0 AND i.error IS NULL AND i.hash IS NOT NULL ORDER BY i.id`,
  ).all(datasetId) as Row[];
  const sets = new UnionFind();
  const byHash = new Map<string, number>();
  const tree = new HashIndex();
  const words = new Map<number, HashWords[]>();
  const centreTree = new HashIndex();
  for (const r of rows) {
    const first = byHash.get(r.hash);
    if (first !== undefined) sets.union(first, r.id);
    else byHash.set(r.hash, r.id);
    if (!r.phash || r.phash === FLAT_HASH) continue;
    const whole = hashWords(r.phash);
    words.set(r.id, [whole]);
    for (const near of tree.within(whole, threshold)) sets.union(near.id, r.id);
    tree.add(whole, r.id);
    // A cropped copy's whole hash lands near the original's centre hash, but so do look-alike
    // textures: the centre is only a second opinion, for pairs already within twice the radius.
    const confirm = (id: number) => {
      if (id !== r.id && hammingWords(whole, words.get(id)![0]!) <= 2 * threshold) sets.union(id, r.id);
    };
    for (const near of centreTree.within(whole, threshold)) confirm(near.id);
    if (r.phash_centre) {
      const centre = hashWords(r.phash_centre);
      for (const near of tree.within(centre, threshold)) confirm(near.id);
      centreTree.add(centre, r.id);
    }
  }
  const byRoot = new Map<number, Row[]>();
  for (const r of rows) {
    const root = sets.find(r.id);
    const list = byRoot.get(root);
    if (list) list.push(r);
    else byRoot.set(root, [r]);
  }
  const groups: DuplicateGroup[] = [];
  for (const list of byRoot.values()) {
    if (list.length < 2) continue;
    const head = list[0]!;
    const headWords = words.get(head.id);
    groups.push({
      id: head.id,
      members: list.map((r) => {
        const w = words.get(r.id);
        return {
          imageId: r.id,
          relPath: r.rel_path,
          classId: r.class_id,
          split: r.split,
          splitSource: r.split_source,
          excluded: r.excluded === 1,
          distance: r.hash === head.hash ? 0 : closest(headWords, w),
          exact: r.hash === head.hash,
        };
      }),
    });
  }
  return groups.sort((a, b) => b.members.length - a.members.length || a.id - b.id);
}
