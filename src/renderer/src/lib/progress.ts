import type { JobProgress } from '../../../shared/api/events.js';
import { count } from './format.js';

/** Share done, 0–1, or null while the total is unknown (the bar then slides). */
export function progressFraction(p: JobProgress | null): number | null {
  return p && p.total ? Math.min(1, p.done / p.total) : null;
}

/** "phase · 12 / 40"; `countAlone`: also "phase · 12" while the total is unknown. */
export function progressDetail(p: JobProgress | null, countAlone = false): string {
  if (!p) return 'starting…';
  const done = p.total ? `${count(p.done)} / ${count(p.total)}` : countAlone && p.done ? count(p.done) : '';
  return [p.phase, done].filter(Boolean).join(' · ');
}
