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

/**
 * The clock of something training now, and the time left at the pace seen since it was first
 * followed (work done before — a resumed run's epochs, a comparison open in another window — does not count as fast progress).
 */
export class TrainingPace {
  now = $state(Date.now());
  private start: { at: number; share: number } | null = null;

  /** A progress report came in; `share` (0…1) is where the work stands now. */
  tick(share: number): void {
    this.now = Date.now();
    this.start ??= { at: this.now, share };
  }

  /** Seconds left at the pace so far; null until there is enough to go on. */
  etaSeconds(share: number): number | null {
    if (!this.start) return null;
    const elapsed = (this.now - this.start.at) / 1000;
    const gained = share - this.start.share;
    return gained < 0.03 || elapsed < 3 ? null : (elapsed * (1 - share)) / gained;
  }
}
