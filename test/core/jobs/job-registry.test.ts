import { describe, expect, it } from 'vitest';
import type { JobStatus } from '../../../src/shared/api/events.js';
import { ApiError } from '../../../src/shared/api/errors.js';
import { JobRegistry } from '../../../src/core/jobs/job-registry.js';

function registry(): { jobs: JobRegistry; statuses: JobStatus[] } {
  const statuses: JobStatus[] = [];
  return { jobs: new JobRegistry(undefined, (s) => statuses.push(s)), statuses };
}

describe('JobRegistry announces every job’s start and end, whoever started it', () => {
  it('a job that finishes: running, then done', async () => {
    const { jobs, statuses } = registry();
    const result = await jobs.run('import', 'import-a', async () => {
      expect(statuses).toEqual([{ jobId: 'import-a', kind: 'import', status: 'running' }]);
      return 42;
    });
    expect(result).toBe(42);
    expect(statuses).toEqual([
      { jobId: 'import-a', kind: 'import', status: 'running' },
      { jobId: 'import-a', kind: 'import', status: 'done' },
    ]);
  });

  it('a job that throws ends as failed, one cancelled by id as cancelled, and a generated id is announced as used', async () => {
    const { jobs, statuses } = registry();
    await expect(
      jobs.run('rescan', 'rescan-b', async () => {
        throw new Error('unreadable folder');
      }),
    ).rejects.toThrow('unreadable folder');
    const cancelled = jobs.run('export', undefined, async (job) => {
      await new Promise<void>((resolve) => job.signal.addEventListener('abort', () => resolve(), { once: true }));
      job.throwIfCancelled();
    });
    const started = statuses.at(-1)!;
    expect(started).toMatchObject({ kind: 'export', status: 'running' });
    expect(jobs.cancel(started.jobId)).toBe(true);
    await expect(cancelled).rejects.toBeInstanceOf(ApiError);
    expect(statuses.map((s) => `${s.kind}:${s.status}`)).toEqual(['rescan:running', 'rescan:failed', 'export:running', 'export:cancelled']);
    expect(statuses[3]!.jobId).toBe(started.jobId);
  });
});
