import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { presetIds, type ArmResult, type ComparisonDetail, type PresetId } from '../../shared/api/compare.js';
import { ApiError } from '../../shared/api/errors.js';
import type { RunProgressEvent } from '../../shared/api/train.js';
import type { ComparisonProgress } from '../../shared/api/compare.js';
import { loadArmsFile, loadPipelineFile } from '../../core/compare/arms.js';
import { comparisonDetail } from '../../core/compare/detail.js';
import { compareQueue } from '../../core/compare/queue-for-context.js';
import { reportData, writeReport } from '../../core/compare/report/write-report.js';
import { createComparison } from '../../core/compare/start-comparison.js';
import { datasetByName, getDataset } from '../../core/library/datasets.js';
import type { Db } from '../../core/db/open-db.js';
import { numberOption, runCommand } from '../run-command.js';
import type { CompareFlags } from '../commands/compare.js';

/** The --json document: the stable summary scripts read. */
export interface CompareJson {
  comparisonId: number;
  status: ComparisonDetail['status'];
  metric: ComparisonDetail['metric'];
  arms: {
    name: string;
    fraction: number;
    runs: number;
    valAcc: { mean: number | null; ci: [number, number] | null };
    testAcc: { mean: number | null; ci: [number, number] | null } | null;
    gap: { mean: number | null };
    macroAuc: { mean: number | null };
    /** Weights the optimizer updated per run (head, unfrozen layers or adapters for transfer arms). */
    trainableParams: number | null;
    /** Mean wall time per run. */
    seconds: { mean: number | null };
  }[];
  vsBaseline: { arm: string; baseline: string; fraction: number; diff: number | null; ci: [number, number] | null; wins: number; repeats: number }[];
  verdict: string | null;
  report: { html: string; json: string; csv: string } | null;
}

function datasetId(db: Db, text: string): number {
  if (/^\d+$/.test(text)) return getDataset(db, Number(text)).id;
  const d = datasetByName(db, text);
  if (!d) throw new ApiError('not_found', `There is no dataset named "${text}" (give its name or id; see \`smallset stats\`).`);
  return d.id;
}

function fractionsOption(text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  return text.split(',').map((part) => {
    const t = part.trim();
    const n = t.endsWith('%') ? Number(t.slice(0, -1)) / 100 : Number(t);
    if (!Number.isFinite(n) || n <= 0 || n > 1) {
      throw new ApiError('invalid_input', `--fractions takes shares of the training split in (0, 1] (or 10%, 25%…), got "${t}".`);
    }
    return n;
  });
}

function toJson(c: ComparisonDetail, report: CompareJson['report']): CompareJson {
  const stat = (s: ArmResult['valAcc']) => ({ mean: s.mean, ci: s.ci });
  return {
    comparisonId: c.id,
    status: c.status,
    metric: c.metric,
    arms: c.arms.map((a) => ({
      name: a.name,
      fraction: a.fraction,
      runs: a.runs,
      valAcc: stat(a.valAcc),
      testAcc: a.testAcc ? stat(a.testAcc) : null,
      gap: { mean: a.gap.mean },
      macroAuc: { mean: a.macroAuc.mean },
      trainableParams: a.trainableParams,
      seconds: { mean: a.seconds.mean },
    })),
    vsBaseline: c.vsBaseline.map((v) => ({ arm: v.arm, baseline: v.baseline, fraction: v.fraction, diff: v.diff, ci: v.ci, wins: v.wins, repeats: v.repeats })),
    verdict: c.verdict,
    report,
  };
}

const pct = (v: number | null) => (v === null ? '    –' : `${(v * 100).toFixed(1).padStart(5)}`);

/** A plain table for the terminal: one line per arm (and training share), then the verdict. */
export function compareTable(c: ComparisonDetail): string {
  const multi = c.config.fractions.length > 1;
  const width = Math.max(4, ...c.arms.map((a) => a.name.length));
  const head = `${multi ? 'share  ' : ''}${'arm'.padEnd(width)}  runs   val%  95% CI          ${c.metric === 'testAcc' ? ' test%  ' : ''}gap   AUC     weights  s/run`;
  const lines = c.arms.map((a) => {
    const ci = a.valAcc.ci ? `${pct(a.valAcc.ci[0])}–${pct(a.valAcc.ci[1]).trim()}`.padEnd(14) : '–'.padEnd(14);
    const test = c.metric === 'testAcc' ? `${pct(a.testAcc?.mean ?? null)}  ` : '';
    const auc = a.macroAuc.mean === null ? '  –' : a.macroAuc.mean.toFixed(3);
    const share = multi ? `${`${Math.round(a.fraction * 100)}%`.padStart(5)}  ` : '';
    const weights = (a.trainableParams === null ? '–' : a.trainableParams.toLocaleString('en-US')).padStart(10);
    const seconds = (a.seconds.mean === null ? '–' : a.seconds.mean.toFixed(1)).padStart(6);
    return `${share}${a.name.padEnd(width)}  ${String(a.runs).padStart(4)}  ${pct(a.valAcc.mean)}  ${ci}  ${test}${pct(a.gap.mean)}  ${auc}  ${weights}  ${seconds}`;
  });
  return [head, ...lines, '', c.verdict ?? 'No run finished.'].join('\n');
}

export async function compareAction(datasetText: string, flags: CompareFlags, cmd: Command): Promise<void> {
  let shown: ComparisonDetail | null = null;
  await runCommand(
    cmd,
    async ({ ctx, progress, signal }) => {
      const id = datasetId(ctx.db, datasetText);
      const isPreset = (presetIds as readonly string[]).includes(flags.arms) && !existsSync(flags.arms);
      const fromFile = isPreset ? null : loadArmsFile(path.resolve(flags.arms));
      const settings = {
        datasetId: id,
        repeats: numberOption(flags.repeats, 'repeats', { int: true, min: 1, max: 50 })!,
        epochs: numberOption(flags.epochs, 'epochs', { int: true, min: 1, max: 1000 })!,
        seed: numberOption(flags.seed, 'seed', { int: true, min: 0, max: 2 ** 31 - 1 })!,
        ...(flags.size !== undefined ? { size: numberOption(flags.size, 'size', { int: true, min: 8, max: 512 })! } : {}),
        ...(flags.concurrency !== undefined ? { concurrency: numberOption(flags.concurrency, 'concurrency', { int: true, min: 1, max: 16 })! } : {}),
        ...(flags.fractions !== undefined ? { fractions: fractionsOption(flags.fractions)! } : {}),
        ...(flags.name !== undefined ? { name: flags.name } : {}),
        ...(flags.baseline !== undefined ? { baseline: flags.baseline } : {}),
      };
      const pipeline = flags.pipeline ? loadPipelineFile(path.resolve(flags.pipeline)) : undefined;
      if (flags.backbone !== undefined && !isPreset) throw new ApiError('invalid_input', '--backbone goes with a preset; in an arms file give each transfer arm its own "transfer": {"backbone": …}.');
      if (pipeline && fromFile) throw new ApiError('invalid_input', '--pipeline goes with a preset; in an arms file give each arm its own "pipeline".');
      const { comparisonId, runs } = createComparison(
        ctx.db,
        fromFile
          ? { ...settings, arms: fromFile.arms, ...(flags.baseline ?? fromFile.baseline ? { baseline: flags.baseline ?? fromFile.baseline } : {}) }
          : { ...settings, preset: flags.arms as PresetId, ...(pipeline ? { pipeline } : {}), ...(flags.backbone !== undefined ? { backbone: flags.backbone } : {}) },
        { backbonesDir: ctx.paths.backbones },
      );

      // Progress in epochs: finished runs count fully, running ones by the epoch they are in.
      const queue = compareQueue(ctx);
      const total = runs * settings.epochs;
      let finished = 0;
      const partial = new Map<string, number>();
      let running: ComparisonProgress['running'] = [];
      const show = () => {
        const inFlight = [...partial.values()].reduce((s, e) => s + e, 0);
        const now = running.map((r) => `${r.arm} · repeat ${r.repeat + 1}${r.fraction < 1 ? ` · ${Math.round(r.fraction * 100)}%` : ''}`).join(', ');
        progress.update({ done: Math.min(total, finished * settings.epochs + inFlight), total, phase: `${finished}/${runs} runs${now ? ` · ${now}` : ''}` });
      };
      const off = ctx.events.onAny((event, payload) => {
        if (event === 'compare.progress') {
          const p = payload as ComparisonProgress;
          if (p.comparisonId !== comparisonId) return;
          finished = p.done + p.failed + p.cancelled;
          running = p.running;
          const ids = new Set(p.running.map((r) => r.runId));
          for (const k of partial.keys()) if (!ids.has(k)) partial.delete(k);
          show();
        } else if (event === 'run.progress') {
          const p = payload as RunProgressEvent;
          if (!running.some((r) => r.runId === p.runId) || p.phase !== 'training') return;
          const within = p.batches > 0 ? p.batch / p.batches : 0;
          partial.set(p.runId, Math.max(0, p.epoch - 1 + within));
          show();
        }
      });
      const onAbort = () => queue.cancel(comparisonId);
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        queue.enqueue(comparisonId);
        show();
        await queue.whenSettled(comparisonId);
      } finally {
        off();
        signal.removeEventListener('abort', onAbort);
      }
      const detail = comparisonDetail(ctx.db, comparisonId);
      if (signal.aborted) throw new ApiError('cancelled', `Comparison ${comparisonId} was cancelled (${detail.done} of ${detail.total} runs had finished).`);
      if (detail.status === 'failed') {
        const why = detail.runs.find((r) => r.error)?.error ?? 'no run finished';
        throw new ApiError('io_error', `Comparison ${comparisonId} failed: ${why}`);
      }
      const report = flags.report ? writeReport(path.resolve(flags.report), reportData(ctx.db, detail)) : null;
      shown = detail;
      return toJson(detail, report ? { html: report.html, json: report.json, csv: report.csv } : null);
    },
    (json) => `${shown ? compareTable(shown) : ''}${json.report ? `\nReport: ${json.report.html}` : ''}`,
  );
}
