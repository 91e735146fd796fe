import type { Client } from '../../../shared/api/client.js';
import type { JobProgress } from '../../../shared/api/events.js';
import { newJobId } from '../lib/format.js';

export interface RunningJob {
  jobId: string;
  title: string;
  progress: JobProgress | null;
  cancelling: boolean;
}

/**
 * The one long call the person is waiting on (an import), with its live progress from
 * `job.progress` events and a way to cancel it.
 */
export class JobState {
  running = $state<RunningJob | null>(null);

  constructor(private readonly client: Client) {}

  get busy(): boolean {
    return this.running !== null;
  }

  async run<T>(kind: string, title: string, work: (jobId: string) => Promise<T>): Promise<T> {
    const jobId = newJobId(kind);
    this.running = { jobId, title, progress: null, cancelling: false };
    const off = this.client.on('job.progress', (p) => {
      if (this.running?.jobId === p.jobId) this.running.progress = p;
    });
    try {
      return await work(jobId);
    } finally {
      off();
      if (this.running?.jobId === jobId) this.running = null;
    }
  }

  async cancel(): Promise<void> {
    const job = this.running;
    if (!job || job.cancelling) return;
    job.cancelling = true;
    await this.client.call('jobs.cancel', { jobId: job.jobId });
  }
}
