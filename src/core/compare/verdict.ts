import type { PairedDiff } from './stats.js';

/** Accuracy differences are shown in percentage points with one decimal. */
export function points(x: number): string {
  return (Math.round(x * 1000) / 10).toFixed(1);
}

function ciText(ci: [number, number]): string {
  const [lo, hi] = ci;
  // An en dash between two signed numbers reads as a minus; spell the range out when a bound is negative.
  return lo < 0 || hi < 0 ? `95% CI ${points(lo)} to ${points(hi)}` : `95% CI ${points(lo)}–${points(hi)}`;
}

export type VerdictKind = 'better' | 'worse' | 'unclear' | 'too_few';

export interface ArmVerdict {
  kind: VerdictKind;
  text: string;
}

/**
 * One sentence about one arm against the baseline that claims only what the interval supports:
 * better or worse only when the whole 95% interval of the paired difference is on one side of zero.
 */
export function armVerdict(arm: string, baseline: string, diff: PairedDiff, metricLabel = ''): ArmVerdict {
  const n = diff.n;
  const won = `${diff.wins} of ${n} repeat${n === 1 ? '' : 's'}${diff.ties ? ` (${diff.ties} tied)` : ''}`;
  const of = metricLabel ? ` of ${metricLabel}` : '';
  if (n === 0) {
    return { kind: 'too_few', text: `${arm} vs ${baseline}: no finished pair of runs to compare.` };
  }
  if (!diff.ci) {
    const sign = diff.mean >= 0 ? '+' : '-';
    return {
      kind: 'too_few',
      text: `${arm} vs ${baseline}: ${sign}${points(Math.abs(diff.mean))} points${of} from a single repeat; run at least 3 repeats before drawing a conclusion.`,
    };
  }
  const [lo, hi] = diff.ci;
  if (diff.ties === n) {
    return { kind: 'unclear', text: `No difference between ${arm} and ${baseline}${of ? ` in ${metricLabel}` : ''}: the same in all ${n} repeats.` };
  }
  if (lo > 0) {
    return { kind: 'better', text: `${arm} beats ${baseline} by ${points(diff.mean)} points${of}, ${ciText(diff.ci)}, ${won}.` };
  }
  if (hi < 0) {
    return {
      kind: 'worse',
      text: `${arm} is worse than ${baseline} by ${points(-diff.mean)} points${of}, ${ciText([-hi, -lo])}, won ${won}.`,
    };
  }
  const sign = diff.mean > 0 ? '+' : diff.mean < 0 ? '-' : '±';
  return {
    kind: 'unclear',
    text: `No clear difference between ${arm} and ${baseline}${of ? ` in ${metricLabel}` : ''}: ${sign}${points(Math.abs(diff.mean))} points, ${ciText(diff.ci)} spans zero, won ${won}.`,
  };
}

export interface ArmGap {
  arm: string;
  gap: number;
}

/** "The train–val gap: raw 20.1, augmented 12.3 points." — only the means; gaps carry no claim. */
export function gapSentence(gaps: readonly ArmGap[]): string {
  const parts = gaps.filter((g) => Number.isFinite(g.gap)).map((g) => `${g.arm} ${points(g.gap)}`);
  return parts.length ? `Mean train–validation gap: ${parts.join(', ')} points.` : '';
}
