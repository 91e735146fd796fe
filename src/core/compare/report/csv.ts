import type { ComparisonDetail } from '../../../shared/api/compare.js';

function cell(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const COLUMNS = [
  'comparison_id',
  'arm',
  'arm_index',
  'repeat',
  'fraction',
  'seed',
  'status',
  'run_id',
  'attempts',
  'train_acc',
  'val_acc',
  'test_acc',
  'macro_auc',
  'gap',
  'epochs',
  'backend',
  'error',
] as const;

/** One line per run: the raw numbers every statistic in the report is computed from. */
export function runsCsv(c: ComparisonDetail): string {
  const lines = [COLUMNS.join(',')];
  for (const r of c.runs) {
    const gap = r.trainAcc !== null && r.valAcc !== null ? r.trainAcc - r.valAcc : null;
    lines.push(
      [c.id, r.arm, r.armIndex, r.repeat, r.fraction, r.seed, r.status, r.runId, r.attempts, r.trainAcc, r.valAcc, r.testAcc, r.macroAuc, gap, r.epochs, r.backend, r.error]
        .map(cell)
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}
