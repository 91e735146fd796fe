import { ApiError } from '../../shared/api/errors.js';
import type { JobProgress, JobStatus } from '../../shared/api/events.js';

export type ProgressSink = (p: Omit<JobProgress, 'jobId' | 'kind'>) => void;

/** A long piece of work: reports progress, can be cancelled, checks `throwIfCancelled` often. */
export interface Job {
  readonly id: string;
  readonly kind: string;
  readonly signal: AbortSignal;
  progress: ProgressSink;
  throwIfCancelled(): void;
}

/**
 * Tracks running jobs so any front door can cancel them by id. Progress is throttled so a fast
 * loop does not flood IPC or SSE; the last report always goes through.
 */
export class JobRegistry {
  private readonly running = new Map<string, AbortController>();
  private counter = 0;

  constructor(
    private readonly emit: (p: JobProgress) => void = () => {},
    /** Each job's start and end, so a window that did not start it can still show it. */
    private readonly announce: (s: JobStatus) => void = () => {},
  ) {}

  async run<T>(kind: string, jobId: string | undefined, work: (job: Job) => Promise<T>, parent?: AbortSignal): Promise<T> {
    const id = jobId ?? `${kind}-${Date.now().toString(36)}-${(this.counter++).toString(36)}`;
    if (this.running.has(id)) throw new ApiError('conflict', `A job with id "${id}" is already running.`);
    const controller = new AbortController();
    const onParentAbort = () => controller.abort();
    parent?.addEventListener('abort', onParentAbort, { once: true });
    this.running.set(id, controller);
    let last = 0;
    const job: Job = {
      id,
      kind,
      signal: controller.signal,
      progress: (p) => {
        const now = Date.now();
        const final = p.total !== null && p.done >= p.total;
        if (!final && now - last < 50) return;
        last = now;
        this.emit({ jobId: id, kind, ...p });
      },
      throwIfCancelled: () => {
        if (controller.signal.aborted) throw new ApiError('cancelled', `${kind} was cancelled.`);
      },
    };
    this.announce({ jobId: id, kind, status: 'running' });
    let status: JobStatus['status'] = 'failed';
    try {
      const result = await work(job);
      status = 'done';
      return result;
    } catch (err) {
      if (controller.signal.aborted || (err instanceof ApiError && err.code === 'cancelled')) status = 'cancelled';
      throw err;
    } finally {
      parent?.removeEventListener('abort', onParentAbort);
      this.running.delete(id);
      this.announce({ jobId: id, kind, status });
    }
  }

  cancel(jobId: string): boolean {
    const controller = this.running.get(jobId);
    if (!controller) return false;
    controller.abort();
    return true;
  }

  cancelAll(): void {
    for (const c of this.running.values()) c.abort();
  }
}
