import { createRequire } from 'node:module';
import os from 'node:os';
import type { ComparisonDetail } from '../../../shared/api/compare.js';
import type { Db } from '../../db/open-db.js';
import { APP_VERSION } from '../../version.js';

export interface DatasetFacts {
  id: number;
  name: string;
  root: string;
  images: number;
  classes: Record<string, number>;
  splits: Record<string, number>;
}

export interface Environment {
  app: string;
  node: string;
  platform: string;
  arch: string;
  cpus: number;
  cpuModel: string;
  tfjs: string | null;
  /** Backends the runs actually used, as each run recorded it. */
  backends: string[];
}

/** Everything a report shows; the JSON export is exactly this. */
export interface ReportData {
  generatedAt: string;
  comparison: ComparisonDetail;
  dataset: DatasetFacts;
  environment: Environment;
}

export function datasetFacts(db: Db, datasetId: number): DatasetFacts {
  const d = db.prepare('SELECT id, name, root FROM datasets WHERE id = ?').get(datasetId) as { id: number; name: string; root: string } | undefined;
  const classes = db
    .prepare(
      `SELECT c.name AS name, COUNT(i.id) AS n FROM classes c LEFT JOIN images i ON i.class_id = c.id AND i.missing = 0 AND i.error IS NULL
       WHERE c.dataset_id = ? GROUP BY c.id ORDER BY c.name`,
    )
    .all(datasetId) as { name: string; n: number }[];
  const splits = db
    .prepare("SELECT COALESCE(split, 'none') AS split, COUNT(*) AS n FROM images WHERE dataset_id = ? AND missing = 0 AND error IS NULL GROUP BY 1")
    .all(datasetId) as { split: string; n: number }[];
  const images = (db.prepare('SELECT COUNT(*) AS n FROM images WHERE dataset_id = ? AND missing = 0').get(datasetId) as { n: number }).n;
  return {
    id: datasetId,
    name: d?.name ?? `dataset ${datasetId} (removed)`,
    root: d?.root ?? '',
    images,
    classes: Object.fromEntries(classes.map((c) => [c.name, c.n])),
    splits: Object.fromEntries(splits.map((s) => [s.split, s.n])),
  };
}

function packageVersion(name: string): string | null {
  try {
    return (createRequire(import.meta.url)(`${name}/package.json`) as { version: string }).version;
  } catch {
    return null;
  }
}

export function environment(comparison: ComparisonDetail): Environment {
  const cpus = os.cpus();
  return {
    app: APP_VERSION,
    node: process.versions.node,
    platform: `${process.platform} ${os.release()}`,
    arch: process.arch,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    tfjs: packageVersion('@tensorflow/tfjs'),
    backends: [...new Set(comparison.runs.map((r) => r.backend).filter((b): b is string => b !== null))].sort(),
  };
}
