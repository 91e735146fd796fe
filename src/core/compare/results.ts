import type {
  ArmCurve,
  ArmResult,
  ComparisonConfig,
  ComparisonRunStatus,
  Stat,
  VsBaseline,
} from '../../shared/api/compare.js';
import { meanCi, pairedDiff, type MeanCi } from './stats.js';
import { armVerdict, gapSentence, points } from './verdict.js';

/** What one finished training run contributes to a comparison. */
export interface RunOutcome {
  trainAcc: number | null;
  valAcc: number | null;
  testAcc: number | null;
  macroAuc: number | null;
  epochs: number | null;
  backend: string | null;
  /** Weights the optimizer updated; null for runs recorded before it was counted. */
  trainableParams?: number | null;
  /** Wall time of the run. */
  seconds?: number | null;
  /** Per-epoch accuracies as recorded while training. */
  curve: { epoch: number; trainAcc: number | null; valAcc: number | null }[];
}

export interface RunForResults {
  armIndex: number;
  arm: string;
  repeat: number;
  fraction: number;
  status: ComparisonRunStatus;
  outcome: RunOutcome | null;
}

export type Metric = 'valAcc' | 'testAcc';

export interface Aggregate {
  metric: Metric;
  arms: ArmResult[];
  vsBaseline: VsBaseline[];
  curves: ArmCurve[];
  verdict: string | null;
}

const METRIC_LABEL: Record<Metric, string> = { valAcc: 'validation accuracy', testAcc: 'test accuracy' };

/** Accuracies live in [0, 1] and gaps in [−1, 1]: a t interval on a bounded value is cut at the bounds. */
type Bounds = readonly [number, number];
const UNIT: Bounds = [0, 1];
const SIGNED: Bounds = [-1, 1];
const clamp = (v: number, [lo, hi]: Bounds) => Math.min(hi, Math.max(lo, v));

function toStat(m: MeanCi, bounds: Bounds | null): Stat {
  const ci: [number, number] | null = m.ci && bounds ? [clamp(m.ci[0], bounds), clamp(m.ci[1], bounds)] : m.ci;
  return { mean: Number.isFinite(m.mean) ? m.mean : null, ci, sd: m.sd, n: m.n };
}

function statOf(values: (number | null)[], bounds: Bounds | null = UNIT): Stat {
  return toStat(meanCi(values.filter((v): v is number => v !== null)), bounds);
}

function finished(runs: readonly RunForResults[]): (RunForResults & { outcome: RunOutcome })[] {
  return runs.filter((r): r is RunForResults & { outcome: RunOutcome } => r.status === 'done' && r.outcome !== null);
}

/** Test accuracy is the honest one when every run has it: early stopping has looked at validation. */
export function chooseMetric(runs: readonly RunForResults[]): Metric {
  const done = finished(runs);
  return done.length > 0 && done.every((r) => r.outcome.testAcc !== null) ? 'testAcc' : 'valAcc';
}

function gapOf(o: RunOutcome): number | null {
  return o.trainAcc !== null && o.valAcc !== null ? o.trainAcc - o.valAcc : null;
}

function curveOf(arm: string, fraction: number, runs: readonly (RunForResults & { outcome: RunOutcome })[]): ArmCurve {
  const byEpoch = new Map<number, { train: number[]; val: number[] }>();
  for (const r of runs) {
    for (const e of r.outcome.curve) {
      const slot = byEpoch.get(e.epoch) ?? { train: [], val: [] };
      if (e.trainAcc !== null) slot.train.push(e.trainAcc);
      if (e.valAcc !== null) slot.val.push(e.valAcc);
      byEpoch.set(e.epoch, slot);
    }
  }
  const pointsOut = [...byEpoch.entries()]
    .sort((a, b) => a[0] - b[0])
    .filter(([, s]) => s.train.length > 0 && s.val.length > 0)
    .map(([epoch, s]) => {
      const t = meanCi(s.train);
      const v = meanCi(s.val);
      return {
        epoch,
        n: Math.min(t.n, v.n),
        train: t.mean,
        trainLo: clamp(t.ci?.[0] ?? t.mean, UNIT),
        trainHi: clamp(t.ci?.[1] ?? t.mean, UNIT),
        val: v.mean,
        valLo: clamp(v.ci?.[0] ?? v.mean, UNIT),
        valHi: clamp(v.ci?.[1] ?? v.mean, UNIT),
      };
    });
  return { arm, fraction, points: pointsOut };
}

function percent(f: number): string {
  return `${Math.round(f * 1000) / 10}%`;
}

/** Per arm statistics, paired differences to the baseline, learning curves, and the verdict. */
export function aggregate(config: ComparisonConfig, runs: readonly RunForResults[]): Aggregate {
  const metric = chooseMetric(runs);
  const done = finished(runs);
  const arms: ArmResult[] = [];
  const curves: ArmCurve[] = [];
  const vs: VsBaseline[] = [];
  const sentences: string[] = [];
  const hasTest = done.some((r) => r.outcome.testAcc !== null);

  for (const fraction of config.fractions) {
    const atFraction = done.filter((r) => r.fraction === fraction);
    const gaps: { arm: string; gap: number }[] = [];
    config.arms.forEach((spec, armIndex) => {
      const mine = atFraction.filter((r) => r.armIndex === armIndex);
      const gap = statOf(mine.map((r) => gapOf(r.outcome)), SIGNED);
      arms.push({
        name: spec.name,
        fraction,
        runs: mine.length,
        trainAcc: statOf(mine.map((r) => r.outcome.trainAcc)),
        valAcc: statOf(mine.map((r) => r.outcome.valAcc)),
        testAcc: hasTest ? statOf(mine.map((r) => r.outcome.testAcc)) : null,
        macroAuc: statOf(mine.map((r) => r.outcome.macroAuc)),
        gap,
        epochs: statOf(mine.map((r) => r.outcome.epochs), null),
        trainableParams: mine.map((r) => r.outcome.trainableParams ?? null).find((p) => p !== null) ?? null,
        seconds: statOf(mine.map((r) => r.outcome.seconds ?? null), null),
      });
      if (gap.mean !== null) gaps.push({ arm: spec.name, gap: gap.mean });
      curves.push(curveOf(spec.name, fraction, mine));
    });

    const baseIndex = config.arms.findIndex((a) => a.name === config.baseline);
    const byRepeat = (armIndex: number) =>
      new Map(
        atFraction
          .filter((r) => r.armIndex === armIndex && r.outcome[metric] !== null)
          .map((r) => [r.repeat, r.outcome[metric] as number]),
      );
    const base = byRepeat(baseIndex);
    const prefix = config.fractions.length > 1 ? `With ${percent(fraction)} of the training images: ` : '';
    const lines: string[] = [];
    config.arms.forEach((spec, armIndex) => {
      if (armIndex === baseIndex) return;
      const d = pairedDiff(byRepeat(armIndex), base);
      const v = armVerdict(spec.name, config.baseline, d, METRIC_LABEL[metric]);
      vs.push({
        arm: spec.name,
        baseline: config.baseline,
        fraction,
        metric,
        diff: d.n > 0 ? d.mean : null,
        ci: d.ci ? [clamp(d.ci[0], SIGNED), clamp(d.ci[1], SIGNED)] : null,
        wins: d.wins,
        ties: d.ties,
        losses: d.losses,
        repeats: d.n,
        kind: v.kind,
        text: v.text,
      });
      lines.push(v.text);
    });
    if (config.arms.length === 1) {
      const only = arms[arms.length - 1]!;
      const s = only[metric] ?? only.valAcc;
      if (s.mean !== null) lines.push(`${only.name}: ${points(s.mean)}% ${METRIC_LABEL[metric]} over ${s.n} run${s.n === 1 ? '' : 's'}.`);
    }
    const gapText = gapSentence(gaps);
    if (gapText) lines.push(gapText);
    if (lines.length) sentences.push(prefix + lines.join(' '));
  }

  const failed = runs.filter((r) => r.status === 'failed').length;
  const unfinished = runs.filter((r) => r.status === 'pending' || r.status === 'running').length;
  const notes: string[] = [];
  if (unfinished > 0 && done.length > 0) notes.push(`Partial results: ${done.length} of ${runs.length} runs finished.`);
  if (failed > 0) notes.push(`${failed} run${failed === 1 ? '' : 's'} failed and ${failed === 1 ? 'is' : 'are'} left out.`);
  const verdict = done.length === 0 ? null : [...notes, ...sentences].join(' ');
  return { metric, arms, vsBaseline: vs, curves, verdict };
}
