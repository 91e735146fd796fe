import type { Client } from '../../../../shared/api/client.js';
import type { DuplicateGroup, HarmReport, Input, Output, QualitySummary } from '../../../../shared/api/index.js';
import type { JobState } from '../../state/jobs.svelte.js';

/** A built-in probe for the harm check when no saved pipeline is chosen: common ops that can change a label. */
export const PROBE_PIPELINE = {
  version: 1 as const,
  ops: [{ op: 'hflip' }, { op: 'vflip' }, { op: 'rotate90' }, { op: 'hue', p: 1 }, { op: 'grayscale' }],
};

type RunRow = Output<'runs.list'>['runs'][number];

/** What the Quality view shows for the current dataset (likely mislabels are the studio's SuspectReview), and the calls behind its buttons. */
export class QualityState {
  datasetId = $state<number | null>(null);
  summary = $state.raw<QualitySummary | null>(null);
  groups = $state.raw<DuplicateGroup[]>([]);
  threshold = $state(10);
  runs = $state.raw<RunRow[]>([]);
  pipelines = $state.raw<string[]>([]);
  harm = $state.raw<HarmReport | null>(null);
  loading = $state(false);

  constructor(
    private readonly client: Client,
    private readonly jobs: JobState,
  ) {}

  async load(datasetId: number): Promise<void> {
    this.datasetId = datasetId;
    this.loading = true;
    try {
      const [summary, dupes, runs, pipelines] = await Promise.all([
        this.client.call('quality.summary', { datasetId }),
        this.client.call('quality.duplicates', { datasetId }),
        this.client.call('runs.list', { datasetId, status: 'done', limit: 50 }),
        this.client.call('pipelines.list', {}),
      ]);
      if (this.datasetId !== datasetId) return;
      this.summary = summary;
      this.threshold = dupes.threshold;
      this.groups = dupes.groups;
      this.runs = runs.runs;
      this.pipelines = pipelines.pipelines.map((p) => p.name);
      if (summary.measured < summary.images) await this.measure();
    } finally {
      this.loading = false;
    }
  }

  async refresh(): Promise<void> {
    const datasetId = this.datasetId;
    if (datasetId === null) return;
    const [summary, dupes] = await Promise.all([this.client.call('quality.summary', { datasetId }), this.client.call('quality.duplicates', { datasetId })]);
    this.summary = summary;
    this.groups = dupes.groups;
  }

  /** Hashes and audits images imported before these checks existed. */
  async measure(): Promise<void> {
    const datasetId = this.datasetId!;
    await this.jobs.run('quality', 'Checking image quality', (jobId) => this.client.call('quality.measure', { datasetId, jobId }));
    await this.refresh();
  }

  async setThreshold(threshold: number): Promise<void> {
    this.threshold = threshold;
    await this.client.call('quality.setThreshold', { datasetId: this.datasetId!, threshold });
    await this.refresh();
  }

  async setExcluded(imageIds: number[], excluded: boolean): Promise<void> {
    await this.client.call('quality.setExcluded', { imageIds, excluded });
    await this.refresh();
  }

  async fixLeaks(): Promise<number> {
    const { moved } = await this.client.call('quality.fixLeaks', { datasetId: this.datasetId! });
    await this.refresh();
    return moved;
  }

  async harmCheck(runId: string, pipelineName: string | null): Promise<void> {
    // The engine validates the saved pipeline's ops when the check starts.
    const pipeline = (pipelineName ? (await this.client.call('pipelines.get', { name: pipelineName })).pipeline : PROBE_PIPELINE) as Input<'quality.harmCheck'>['pipeline'];
    this.harm = await this.jobs.run('harm', 'Checking augmentations', (jobId) => this.client.call('quality.harmCheck', { runId, pipeline, jobId }));
  }
}
