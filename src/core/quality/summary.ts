import type { QualitySummary } from '../../shared/api/quality.js';
import type { Db } from '../db/open-db.js';
import { getDataset } from '../library/datasets.js';
import { stmt } from '../library/statements.js';
import { AUDIT_FLAG_NAMES, AUDIT_FLAGS } from './audit-flags.js';
import { duplicateGroups } from './duplicate-groups.js';
import { leakReport } from './leaks.js';
import { duplicateThreshold } from './settings.js';

export function qualitySummary(db: Db, datasetId: number): QualitySummary {
  getDataset(db, datasetId);
  const threshold = duplicateThreshold(db, datasetId);
  const counts = stmt(
    db,
    `SELECT COUNT(*) AS images, COUNT(q.image_id) AS measured, COALESCE(SUM(i.excluded), 0) AS excluded
       FROM images i LEFT JOIN image_quality q ON q.image_id = i.id AND q.hash = i.hash
      WHERE i.dataset_id = ? AND i.missing = 0 AND i.error IS NULL`,
  ).get(datasetId) as { images: number; measured: number; excluded: number };
  const flags = stmt(
    db,
    'SELECT q.flags FROM image_quality q JOIN images i ON i.id = q.image_id WHERE i.dataset_id = ? AND i.missing = 0 AND q.flags != 0',
  ).all(datasetId) as { flags: number }[];
  const audit = Object.fromEntries(AUDIT_FLAG_NAMES.map((f) => [f, flags.filter((r) => (r.flags & AUDIT_FLAGS[f]) !== 0).length])) as QualitySummary['audit'];
  const groups = duplicateGroups(db, datasetId, threshold);
  const leaks = leakReport(db, datasetId, threshold, groups);
  const suspects = stmt(
    db,
    `SELECT COUNT(*) AS n FROM label_suspects s JOIN images i ON i.id = s.image_id
      WHERE s.dataset_id = ? AND s.status = 'open' AND i.missing = 0 AND i.class_id IS s.given_class_id`,
  ).get(datasetId) as { n: number };
  return {
    datasetId,
    measured: counts.measured,
    images: counts.images,
    threshold,
    duplicateGroups: groups.length,
    duplicateImages: groups.reduce((n, g) => n + g.members.length, 0),
    leakingGroups: leaks.groups.length,
    leakingImages: leaks.images,
    excluded: counts.excluded,
    audit,
    openSuspects: suspects.n,
  };
}
