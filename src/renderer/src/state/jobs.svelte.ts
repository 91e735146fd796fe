import type { Client } from '../../../shared/api/client.js';
import type { JobProgress } from '../../../shared/api/events.js';
import { isOwnJob, newJobId } from '../lib/format.js';

export interface RunningJob {
  jobId: string;
  title: string;
  progress: JobProgress | null;
  cancelling: boolean;
  /** Started by another window or a script; shown here until it ends. */
  elsewhere?: boolean;
}

/** Kinds of long call worth showing in a window that did not start them (previews come and go too fast). */
const ELSEWHERE_TITLES: Record<string, string> = {
  import: 'Importing',
  rescan: 'Rescanning',
  export: 'Exporting',
  quality: 'Checking image quality',
  mislabels: 'Finding likely mislabels',
  'harm-check': 'Checking augmentations',
  'backbone-download': 'Downloading a backbone',
  'backbone-train': 'Training a backbone',
};

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

  /** Follows long calls started elsewhere while this page runs none of its own; returns the cleanup. */
  listen(): () => void {
    const offs = [
      this.client.on('job.status', (s) => {
        const shown = this.running;
        if (s.status !== 'running') {
          if (shown?.elsewhere && shown.jobId === s.jobId) this.running = null;
          return;
        }
        const title = ELSEWHERE_TITLES[s.kind];
        if (shown || !title || isOwnJob(s.jobId)) return;
        this.running = { jobId: s.jobId, title: `${title} (started elsewhere)`, progress: null, cancelling: false, elsewhere: true };
      }),
      this.client.on('job.progress', (p) => {
        if (this.running?.elsewhere && this.running.jobId === p.jobId) this.running.progress = p;
      }),
    ];
    return () => offs.forEach((off) => off());
  }

  async cancel(): Promise<void> {
    const job = this.running;
    if (!job || job.cancelling) return;
    job.cancelling = true;
    await this.client.call('jobs.cancel', { jobId: job.jobId });
  }
}
