import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ComparisonDetail } from '../../../shared/api/compare.js';
import type { Db } from '../../db/open-db.js';
import { runsCsv } from './csv.js';
import { reportHtml } from './html.js';
import { datasetFacts, environment, type ReportData } from './report-data.js';

export interface ReportFiles {
  dir: string;
  html: string;
  json: string;
  csv: string;
}

export function reportData(db: Db, comparison: ComparisonDetail): ReportData {
  return {
    generatedAt: new Date().toISOString(),
    comparison,
    dataset: datasetFacts(db, comparison.datasetId),
    environment: environment(comparison),
  };
}

/** Writes comparison-<id>.html (self-contained), .json (everything the report shows) and .csv (one line per run). */
export function writeReport(dir: string, data: ReportData): ReportFiles {
  mkdirSync(dir, { recursive: true });
  const base = path.join(dir, `comparison-${data.comparison.id}`);
  const files = { dir, html: `${base}.html`, json: `${base}.json`, csv: `${base}.csv` };
  writeFileSync(files.html, reportHtml(data));
  writeFileSync(files.json, `${JSON.stringify(data, null, 2)}\n`);
  writeFileSync(files.csv, runsCsv(data.comparison));
  return files;
}
