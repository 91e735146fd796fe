import { createRequire } from 'node:module';
import type { SingleBar } from 'cli-progress';
import type { JobProgress } from '../shared/api/events.js';

/** A progress bar on a terminal; plain percentage lines when stderr is piped but not --json; nothing with --json. */
export class ProgressBar {
  private bar: SingleBar | null = null;
  private lastLine = 0;
  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly enabled: boolean,
  ) {}

  update(p: Pick<JobProgress, 'done' | 'total' | 'message' | 'phase'>): void {
    if (!this.enabled) return;
    const label = p.phase ?? p.message ?? '';
    if (this.stream.isTTY) {
      if (!this.bar) {
        // Loaded only when a bar is drawn: piped and --json runs never need it.
        const { SingleBar, Presets } = createRequire(import.meta.url)('cli-progress') as typeof import('cli-progress');
        this.bar = new SingleBar(
          { stream: this.stream, format: ' {bar} {percentage}% | {value}/{total} | ETA {eta_formatted} | {label}', hideCursor: true, clearOnComplete: true },
          Presets.shades_classic,
        );
        this.bar.start(p.total ?? 0, p.done, { label });
      }
      if (p.total !== null) this.bar.setTotal(p.total);
      this.bar.update(p.done, { label });
      return;
    }
    const now = Date.now();
    if (now - this.lastLine < 2000 && !(p.total !== null && p.done >= p.total)) return;
    this.lastLine = now;
    this.stream.write(`${label ? `${label}: ` : ''}${p.done}${p.total !== null ? `/${p.total}` : ''}\n`);
  }

  stop(): void {
    this.bar?.stop();
    this.bar = null;
  }
}
