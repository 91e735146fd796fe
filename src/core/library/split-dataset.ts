import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { SplitName } from '../../shared/api/common.js';
import type { Db } from '../db/open-db.js';
import { keepGroupsTogether } from '../quality/leaks.js';
import { getDataset } from './datasets.js';
import { labelsFromPath } from './layout.js';
import { stmt } from './statements.js';

/** Stored as JSON in datasets.split_config so images added later are split the same way. */
export const splitConfig = z.object({
  train: z.number().min(0).max(1),
  val: z.number().min(0).max(1),
  test: z.number().min(0).max(1),
  seed: z.number().int(),
  keepFolderSplits: z.boolean(),
});
export type SplitConfig = z.infer<typeof splitConfig>;

/** What a fresh import gets, so a dataset can be trained on straight away. */
export const defaultSplitConfig: SplitConfig = { train: 0.7, val: 0.15, test: 0.15, seed: 0, keepFolderSplits: true };

const splitNames: readonly SplitName[] = ['train', 'val', 'test'];

interface PoolRow {
  id: number;
  hash: string;
  class_id: number | null;
  split: SplitName | null;
  key: string;
}

/**
 * Version of the near-duplicate grouping a split was kept leak-free with, stored beside the
 * configuration. Version 1 grouped by single linkage, whose chains moved many distinct images to
 * keep "groups" together; asking again for the same configuration re-splits a split made by an
 * older version instead of only filling gaps, so it comes out as the configuration asks today.
 */
const GROUPING_VERSION = 2;

function storedGroupingVersion(db: Db, datasetId: number): number {
  const raw = getDataset(db, datasetId).split_config;
  const grouping = raw ? (JSON.parse(raw) as { grouping?: unknown }).grouping : undefined;
  return typeof grouping === 'number' ? grouping : 1;
}

export function storedSplitConfig(db: Db, datasetId: number): SplitConfig | null {
  const raw = getDataset(db, datasetId).split_config;
  if (!raw) return null;
  const parsed = splitConfig.safeParse(JSON.parse(raw));
  return parsed.success ? parsed.data : null;
}

/**
 * How many of `n` images each split gets: floors of n × fraction, the rest handed out by largest
 * remainder (ties go train, val, test), so the totals add up to n exactly.
 */
export function splitQuotas(n: number, config: Pick<SplitConfig, SplitName>): Record<SplitName, number> {
  const exact = splitNames.map((s) => n * config[s]);
  const quotas = exact.map(Math.floor);
  let left = n - quotas.reduce((a, b) => a + b, 0);
  const order = [0, 1, 2].sort((a, b) => exact[b]! - quotas[b]! - (exact[a]! - quotas[a]!) || a - b);
  for (let k = 0; left > 0; k = (k + 1) % 3, left--) quotas[order[k]!]!++;
  return { train: quotas[0]!, val: quotas[1]!, test: quotas[2]! };
}

/** The images the split manages: readable, present, and (unless reassigned) not placed by a folder. */
function pool(db: Db, datasetId: number, config: SplitConfig): Map<number | null, PoolRow[]> {
  const rows = stmt(
    db,
    `SELECT id, hash, class_id, split, split_source FROM images
     WHERE dataset_id = ? AND error IS NULL AND missing = 0 AND hash IS NOT NULL`,
  ).all(datasetId) as (Omit<PoolRow, 'key'> & { split_source: string | null })[];
  const strata = new Map<number | null, PoolRow[]>();
  for (const r of rows) {
    if (config.keepFolderSplits && r.split_source === 'folder') continue;
    // The order within a class comes from the content and the seed, never from ids or paths, so a
    // renamed or re-imported file keeps its place.
    const key = createHash('sha1').update(`${config.seed}:${r.hash}`).digest('hex');
    const list = strata.get(r.class_id) ?? [];
    list.push({ id: r.id, hash: r.hash, class_id: r.class_id, split: r.split, key });
    strata.set(r.class_id, list);
  }
  for (const list of strata.values()) list.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.id - b.id));
  return strata;
}

function writeSplits(db: Db, changes: Map<number, SplitName>): void {
  const set = stmt(db, "UPDATE images SET split = ?, split_source = 'assigned' WHERE id = ?");
  for (const [id, split] of changes) set.run(split, id);
}

/** Splits every class from scratch: the first quota of each class's seeded order to train, etc. */
function assignAll(db: Db, datasetId: number, config: SplitConfig): void {
  const changes = new Map<number, SplitName>();
  for (const members of pool(db, datasetId, config).values()) {
    const q = splitQuotas(members.length, config);
    members.forEach((m, i) => {
      const split: SplitName = i < q.train ? 'train' : i < q.train + q.val ? 'val' : 'test';
      if (m.split !== split) changes.set(m.id, split);
    });
  }
  writeSplits(db, changes);
}

/**
 * Gives unsplit images a split without moving anyone else: per class, each new image (in seeded
 * order) goes to the split furthest below its target for the class's new size.
 */
function fillGaps(db: Db, datasetId: number, config: SplitConfig): number {
  const changes = new Map<number, SplitName>();
  for (const members of pool(db, datasetId, config).values()) {
    const fresh = members.filter((m) => m.split === null);
    if (!fresh.length) continue;
    const target = splitQuotas(members.length, config);
    const have: Record<SplitName, number> = { train: 0, val: 0, test: 0 };
    for (const m of members) if (m.split) have[m.split]++;
    for (const m of fresh) {
      let best: SplitName = 'train';
      for (const s of splitNames) if (target[s] - have[s] > target[best] - have[best]) best = s;
      have[best]++;
      changes.set(m.id, best);
    }
  }
  writeSplits(db, changes);
  return changes.size;
}

/**
 * Puts folder splits back from the paths, in case an earlier configuration reassigned them: the
 * folder layout on disk is the source of truth for them.
 */
function restoreFolderSplits(db: Db, datasetId: number): void {
  const rows = stmt(db, 'SELECT id, rel_path, split, split_source FROM images WHERE dataset_id = ? AND error IS NULL').all(datasetId) as {
    id: number;
    rel_path: string;
    split: SplitName | null;
    split_source: string | null;
  }[];
  const set = stmt(db, "UPDATE images SET split = ?, split_source = 'folder' WHERE id = ?");
  for (const r of rows) {
    const folder = labelsFromPath(r.rel_path).split;
    if (folder && (r.split !== folder || r.split_source !== 'folder')) set.run(folder, r.id);
  }
}

function sameConfig(a: SplitConfig | null, b: SplitConfig): boolean {
  return a !== null && splitNames.every((s) => Math.abs(a[s] - b[s]) < 1e-9) && a.seed === b.seed && a.keepFolderSplits === b.keepFolderSplits;
}

export function splitCounts(db: Db, datasetId: number): Record<string, number> {
  const rows = stmt(db, 'SELECT split, COUNT(*) AS n FROM images WHERE dataset_id = ? AND missing = 0 AND split IS NOT NULL GROUP BY split').all(
    datasetId,
  ) as { split: string; n: number }[];
  return Object.fromEntries(rows.map((r) => [r.split, r.n]));
}

/**
 * Applies a split configuration. The same configuration again only fills in images added since,
 * so asking twice never reshuffles; a new configuration (fractions, seed or folder rule) re-splits.
 */
export function assignSplits(db: Db, datasetId: number, config: SplitConfig): Record<string, number> {
  return assignSplitsKeepingGroups(db, datasetId, config).splits;
}

/**
 * assignSplits, also telling how many images were moved afterwards to keep near-duplicate groups
 * on one side (which is why the achieved ratios can differ from the requested ones).
 */
export function assignSplitsKeepingGroups(db: Db, datasetId: number, config: SplitConfig): { splits: Record<string, number>; movedForDuplicates: number } {
  return db.transaction(() => {
    const previous = storedSplitConfig(db, datasetId);
    if (sameConfig(previous, config) && storedGroupingVersion(db, datasetId) >= GROUPING_VERSION) {
      fillGaps(db, datasetId, config);
    } else {
      if (config.keepFolderSplits) restoreFolderSplits(db, datasetId);
      assignAll(db, datasetId, config);
    }
    // Stored first: keeping groups together aims at the new fractions.
    stmt(db, 'UPDATE datasets SET split_config = ? WHERE id = ?').run(JSON.stringify({ ...config, grouping: GROUPING_VERSION }), datasetId);
    const movedForDuplicates = keepGroupsTogether(db, datasetId);
    return { splits: splitCounts(db, datasetId), movedForDuplicates };
  })();
}

/** After import or rescan: split the new images by the dataset's stored configuration. */
export function fillNewSplits(db: Db, datasetId: number): number {
  const config = storedSplitConfig(db, datasetId);
  return config ? db.transaction(() => fillGaps(db, datasetId, config) + keepGroupsTogether(db, datasetId))() : 0;
}
