import type { RunProgressEvent } from '../../../shared/api/train.js';

/** Statuses after which a run or comparison changes no more. */
export function hasEnded(status: string): boolean {
  return status === 'done' || status === 'failed' || status === 'cancelled';
}

/** Where one run is within its own work, 0…1, from its latest progress event. */
export function runShare(p: RunProgressEvent | null | undefined): number {
  if (!p) return 0;
  if (p.phase === 'training' && p.epochs > 0) {
    const inEpoch = p.batches > 0 ? p.batch / p.batches : 0;
    return Math.min(1, (Math.max(0, p.epoch - 1) + inEpoch) / p.epochs) * 0.95;
  }
  if (p.phase === 'evaluating' || p.phase === 'saving') return 0.97;
  return 0.02;
}

/** The clock of something training now: when it was followed from, and the time left at the pace so far. */
export class TrainingPace {
  readonly startedAt = Date.now();
  now = $state(Date.now());

  tick(): void {
    this.now = Date.now();
  }

  /** Seconds left when `share` (0…1) of the work took the time since the start; null until there is enough to go on. */
  etaSeconds(share: number): number | null {
    const elapsed = (this.now - this.startedAt) / 1000;
    return share < 0.03 || elapsed < 3 ? null : (elapsed * (1 - share)) / share;
  }
}
