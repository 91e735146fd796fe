import type { ComparisonDetail } from '../../../shared/api/compare.js';
import type { AppContext } from '../../context.js';
import { comparisonDetail } from '../detail.js';
import { compareQueue } from '../queue-for-context.js';
import { reportData, writeReport, type ReportFiles } from '../report/write-report.js';

export interface BenchComparisonResult {
  detail: ComparisonDetail;
  /** Wall time of the comparison's runs. */
  seconds: number;
  report: ReportFiles;
}

/**
 * Runs a created comparison to the end on the context's queue, logging each finished run, cancels
 * it when `signal` aborts, then writes its HTML/JSON/CSV report into `reportDir`.
 */
export async function runBenchComparison(
  ctx: AppContext,
  comparison: { comparisonId: number; runs: number },
  opts: { signal: AbortSignal; log: (line: string) => void; reportDir: string },
): Promise<BenchComparisonResult> {
  const { comparisonId, runs } = comparison;
  const queue = compareQueue(ctx);
  const started = performance.now();
  let reported = 0;
  const off = ctx.events.onAny((event, payload) => {
    if (event !== 'compare.progress') return;
    const p = payload as { comparisonId: number; done: number; failed: number };
    if (p.comparisonId !== comparisonId || p.done + p.failed === reported) return;
    reported = p.done + p.failed;
    opts.log(`  ${reported}/${runs} runs finished (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  });
  const onAbort = () => queue.cancel(comparisonId);
  opts.signal.addEventListener('abort', onAbort, { once: true });
  try {
    queue.enqueue(comparisonId);
    await queue.whenSettled(comparisonId);
  } finally {
    off();
    opts.signal.removeEventListener('abort', onAbort);
  }
  opts.signal.throwIfAborted();
  const seconds = (performance.now() - started) / 1000;
  const detail = comparisonDetail(ctx.db, comparisonId);
  const report = writeReport(opts.reportDir, reportData(ctx.db, detail));
  return { detail, seconds, report };
}
