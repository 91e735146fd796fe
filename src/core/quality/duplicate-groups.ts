import type { SplitName } from '../../shared/api/common.js';
import type { Db } from '../db/open-db.js';
import { stmt } from '../library/statements.js';
import { layoutBytes, layoutsMatch } from './colour-layout.js';
import { HashIndex } from './hash-index.js';
import { PHASH_INPUT, hashWords, hammingWords, perceptualHash, type HashWords } from './perceptual-hash.js';

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
  colour_layout: string | null;
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

/** The images with one content hash (byte-identical copies always go together) and what they are compared by. */
interface Unit {
  rows: Row[];
  whole: HashWords | null;
  centre: HashWords | null;
  layout: Uint8Array | null;
}

function unitsOf(rows: readonly Row[]): Unit[] {
  const byHash = new Map<string, Unit>();
  for (const r of rows) {
    const unit = byHash.get(r.hash);
    if (unit) {
      unit.rows.push(r);
      continue;
    }
    const hashed = r.phash !== null && r.phash !== FLAT_HASH;
    byHash.set(r.hash, {
      rows: [r],
      whole: hashed ? hashWords(r.phash!) : null,
      centre: hashed && r.phash_centre ? hashWords(r.phash_centre) : null,
      layout: hashed && r.colour_layout ? layoutBytes(r.colour_layout) : null,
    });
  }
  return [...byHash.values()];
}

/**
 * How far apart two units look (null: not near-duplicates at `threshold`): whole-image hashes
 * within the threshold, or one's whole hash within it of the other's centre hash (a cropped copy)
 * while the whole hashes are within twice it, as look-alike textures also land near a centre hash.
 * The colour layouts must match as well, when both were measured: a perceptual hash sees neither
 * colour nor contrast, so two different pictures of one composition hash a few bits apart.
 */
function nearness(a: Unit, b: Unit, threshold: number): number | null {
  const whole = hammingWords(a.whole!, b.whole!);
  let d = whole;
  if (whole > threshold) {
    if (whole > 2 * threshold) return null;
    d = Math.min(a.centre ? hammingWords(a.centre, b.whole!) : 64, b.centre ? hammingWords(a.whole!, b.centre) : 64);
    if (d > threshold) return null;
  }
  if (a.layout && b.layout && !layoutsMatch(a.layout, b.layout)) return null;
  return d;
}

/** A growing list of (earlier, later) unit pairs in one typed array: 8 bytes a pair, as look-alike families have millions. */
class PairList {
  data = new Int32Array(64);
  length = 0;

  push(a: number, b: number): void {
    if (this.length + 2 > this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = a;
    this.data[this.length++] = b;
  }
}

/** Every near pair, bucketed by how near: one candidate search per hash, through the multi-index. */
function nearPairs(units: readonly Unit[], threshold: number): PairList[] {
  const whole = new HashIndex();
  const centres = new HashIndex();
  const byDistance = Array.from({ length: threshold + 1 }, () => new PairList());
  units.forEach((u, k) => {
    if (!u.whole) return;
    const candidates = new Set<number>();
    for (const hit of whole.within(u.whole, threshold)) candidates.add(hit.id);
    for (const hit of centres.within(u.whole, threshold)) candidates.add(hit.id);
    if (u.centre) for (const hit of whole.within(u.centre, threshold)) candidates.add(hit.id);
    for (const j of [...candidates].sort((a, b) => a - b)) {
      const d = nearness(units[j]!, u, threshold);
      if (d !== null) byDistance[d]!.push(j, k);
    }
    whole.add(u.whole, k);
    if (u.centre) centres.add(u.centre, k);
  });
  return byDistance;
}

/**
 * Complete linkage over the near pairs, closest pairs first: two clusters merge only when every
 * member of one is a near-duplicate of every member of the other. So a chain A~B~C with A and C
 * far apart never becomes one group (single linkage made one group of a whole look-alike family),
 * and a group is what a person looking at it calls copies of one picture. Deterministic: pairs are
 * taken by distance, then by their units' order (image ids).
 */
function completeLinkage(units: readonly Unit[], threshold: number): number[][] {
  const n = units.length;
  const byDistance = nearPairs(units, threshold);
  const clusterOf = Int32Array.from({ length: n }, (_, k) => k);
  const members: (number[] | undefined)[] = Array.from({ length: n }, (_, k) => [k]);
  const key = (a: number, b: number) => (a < b ? a * n + b : b * n + a);
  // Clusters only grow and keep the id of the one merged into, so two that cannot merge never can.
  const apart = new Set<number>();
  for (const { data: pairs, length } of byDistance) {
    for (let p = 0; p < length; p += 2) {
      let a = clusterOf[pairs[p]!]!;
      let b = clusterOf[pairs[p + 1]!]!;
      if (a === b || apart.has(key(a, b))) continue;
      const ma = members[a]!;
      const mb = members[b]!;
      if (!ma.every((x) => mb.every((y) => nearness(units[x]!, units[y]!, threshold) !== null))) {
        apart.add(key(a, b));
        continue;
      }
      if (ma.length < mb.length) [a, b] = [b, a];
      const into = members[a]!;
      for (const y of members[b]!) {
        into.push(y);
        clusterOf[y] = a;
      }
      members[b] = undefined;
    }
  }
  return members.filter((m): m is number[] => m !== undefined).map((m) => m.sort((x, y) => x - y));
}

/**
 * Near-duplicate groups of a dataset's present, readable images: byte-identical images, and
 * images whose hashes and colours say they are copies of one picture (see nearness), grouped by
 * complete linkage so every two members of a group are near-duplicates of each other. The split's
 * leak guard keeps these same groups on one side. Largest first.
 */
export function duplicateGroups(db: Db, datasetId: number, threshold: number): DuplicateGroup[] {
  const rows = stmt(
    db,
    `SELECT i.id, i.rel_path, i.hash, q.phash, q.phash_centre, q.colour_layout, i.class_id, i.split, i.split_source, i.excluded
       FROM images i LEFT JOIN image_quality q ON q.image_id = i.id AND q.hash = i.hash
      WHERE i.dataset_id = ? AND i.missing = 0 AND i.error IS NULL AND i.hash IS NOT NULL ORDER BY i.id`,
  ).all(datasetId) as Row[];
  const units = unitsOf(rows);
  const groups: DuplicateGroup[] = [];
  for (const cluster of completeLinkage(units, threshold)) {
    const list = cluster.flatMap((k) => units[k]!.rows).sort((a, b) => a.id - b.id);
    if (list.length < 2) continue;
    const head = list[0]!;
    const headWords = head.phash ? [hashWords(head.phash)] : [];
    groups.push({
      id: head.id,
      members: list.map((r) => ({
        imageId: r.id,
        relPath: r.rel_path,
        classId: r.class_id,
        split: r.split,
        splitSource: r.split_source,
        excluded: r.excluded === 1,
        distance: r.hash === head.hash ? 0 : closest(headWords, r.phash ? [hashWords(r.phash)] : []),
        exact: r.hash === head.hash,
      })),
    });
  }
  return groups.sort((a, b) => b.members.length - a.members.length || a.id - b.id);
}
