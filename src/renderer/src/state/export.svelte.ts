import type { Client } from '../../../shared/api/client.js';
import type { SplitName } from '../../../shared/api/common.js';
import type { JobProgress } from '../../../shared/api/events.js';
import type { ExportFit, ExportFormat, ExportLayout, PipelineExportFormat } from '../../../shared/api/export.js';
import type { Output } from '../../../shared/api/index.js';
import type { PipelineSpec, PipelineSummary } from '../../../shared/api/augment.js';
import type { RunSummary } from '../../../shared/api/train.js';
import { newJobId } from '../lib/format.js';
import { recall, remember } from '../lib/stored.js';
import { TrainingPace } from './training-pace.svelte.js';

export type ExportKind = 'dataset' | 'pipeline' | 'model';
export type ExportStep = 'what' | 'options' | 'destination' | 'running' | 'done';

/** Pipelines offered without saving one first: none (originals only) or a gentle standard set. */
export const STANDARD_PIPELINE: PipelineSpec = {
  version: 1,
  ops: [
    { op: 'hflip', p: 0.5 },
    { op: 'rotate', p: 0.7, degrees: [-15, 15] },
    { op: 'brightness', p: 0.5, factor: [0.8, 1.2] },
    { op: 'contrast', p: 0.5, factor: [0.8, 1.2] },
  ],
};
export const BUILTIN_STANDARD = '\u0000standard';
export const BUILTIN_NONE = '\u0000none';

export interface DatasetOptions {
  pipeline: string;
  copies: number;
  originals: boolean;
  balance: boolean;
  layout: ExportLayout;
  resize: boolean;
  size: number;
  fit: ExportFit;
  format: ExportFormat;
  quality: number;
  seed: number;
  splits: SplitName[];
  augmentSplits: SplitName[];
}

export const defaultDatasetOptions = (): DatasetOptions => ({
  pipeline: BUILTIN_STANDARD,
  copies: 2,
  originals: true,
  balance: false,
  layout: 'imagefolder',
  resize: false,
  size: 224,
  fit: 'cover',
  format: 'jpeg',
  quality: 90,
  seed: 0,
  splits: ['train', 'val', 'test'],
  augmentSplits: ['train'],
});

export type ExportResult =
  | { kind: 'dataset'; result: Output<'export.dataset'> }
  | { kind: 'pipeline'; result: Output<'export.pipeline'>; out: string }
  | { kind: 'model'; result: Output<'export.model'> };

const STEPS: ExportStep[] = ['what', 'options', 'destination'];

/**
 * The export wizard: what to write (an augmented dataset, a pipeline, a trained model), how,
 * where; then the running export with its progress and cancel, and a summary when it is done.
 */
export class ExportWizard {
  step = $state<ExportStep>('what');
  kind = $state<ExportKind>('dataset');
  datasetId = $state<number | null>(null);
  dataset = $state<DatasetOptions>(defaultDatasetOptions());
  pipelineSource = $state<string>(BUILTIN_STANDARD);
  pipelineFormats = $state<PipelineExportFormat[]>(['json']);
  pipelineFileName = $state('pipeline');
  runId = $state<string | null>(null);
  /** Last time's destination: exports of one project tend to go to one place. */
  out = $state(recall('exportOut', (v): v is string => v.length > 0) ?? '');
  /** The destination is not empty: waiting for the person to say replace or choose again. */
  confirmReplace = $state<string | null>(null);
  progress = $state.raw<JobProgress | null>(null);
  /** The pace of the export's current phase, for the time left. */
  private pace = $state.raw(new TrainingPace());
  cancelling = $state(false);
  result = $state.raw<ExportResult | null>(null);
  error = $state<string | null>(null);
  pipelines = $state.raw<PipelineSummary[]>([]);
  runs = $state.raw<RunSummary[]>([]);
  private jobId: string | null = null;

  constructor(private readonly client: Client) {}

  /** The pipeline files' name as the export will use it. */
  get pipelineName(): string {
    return this.pipelineFileName.trim() || 'pipeline';
  }

  /** Seconds left in the phase running now at its pace so far; null until there is enough to go on. */
  get etaSeconds(): number | null {
    const p = this.progress;
    return p?.total ? this.pace.etaSeconds(Math.min(1, p.done / p.total)) : null;
  }

  private onProgress(p: JobProgress): void {
    // Each phase counts its own work from zero.
    if (p.phase !== this.progress?.phase) this.pace = new TrainingPace();
    this.progress = p;
    if (p.total) this.pace.tick(Math.min(1, p.done / p.total));
  }

  /** Saved pipelines and finished runs with a model, for the choices of the first two steps. */
  async loadChoices(): Promise<void> {
    const [{ pipelines }, { runs }] = await Promise.all([this.client.call('pipelines.list'), this.client.call('runs.list')]);
    this.pipelines = pipelines;
    this.runs = runs.filter((r) => r.modelPath !== null);
    if (this.runId === null || !this.runs.some((r) => r.id === this.runId)) this.runId = this.runs[0]?.id ?? null;
  }

  get stepIndex(): number {
    return STEPS.indexOf(this.step);
  }

  /** Why the person cannot go on from this step yet; null when they can. */
  blocker(): string | null {
    if (this.step === 'what') {
      if (this.kind === 'dataset' && this.datasetId === null) return 'Import a dataset first.';
      if (this.kind === 'model' && this.runId === null) return 'No finished training run has a model yet.';
    }
    if (this.step === 'options') {
      if (this.kind === 'dataset') {
        const o = this.dataset;
        if (o.splits.length === 0) return 'Choose at least one split to export.';
        if (o.pipeline === BUILTIN_NONE && !o.originals) return 'Without a pipeline only originals can be written; keep “Include originals” on.';
        if (o.pipeline !== BUILTIN_NONE && o.copies === 0 && !o.originals) return 'Write at least one copy or the originals.';
      }
      if (this.kind === 'pipeline' && this.pipelineFormats.length === 0) return 'Choose at least one format.';
    }
    if (this.step === 'destination' && !this.out.trim()) return 'Name a destination folder.';
    return null;
  }

  next(): void {
    const i = this.stepIndex;
    if (i >= 0 && i < STEPS.length - 1 && this.blocker() === null) this.step = STEPS[i + 1]!;
  }

  back(): void {
    const i = this.stepIndex;
    if (i > 0) this.step = STEPS[i - 1]!;
    this.confirmReplace = null;
    this.error = null;
  }

  /** Back to the first step for another export; the choices made stay. */
  again(): void {
    this.step = 'what';
    this.result = null;
    this.error = null;
    this.progress = null;
    this.confirmReplace = null;
  }

  private async pipelineSpec(name: string): Promise<PipelineSpec | null> {
    if (name === BUILTIN_NONE) return null;
    if (name === BUILTIN_STANDARD) return STANDARD_PIPELINE;
    return (await this.client.call('pipelines.get', { name })).pipeline;
  }

  async start(replace = false): Promise<void> {
    if (this.blocker() !== null || this.step === 'running') return;
    this.confirmReplace = null;
    this.error = null;
    this.progress = null;
    this.cancelling = false;
    const out = this.out.trim();
    remember('exportOut', out);
    const jobId = newJobId('export');
    this.jobId = jobId;
    this.step = 'running';
    const off = this.client.on('job.progress', (p) => {
      if (p.jobId === jobId) this.onProgress(p);
    });
    try {
      this.result = await this.run(out, replace, jobId);
      this.step = 'done';
    } catch (err) {
      const e = err as { code?: string; message?: string };
      this.step = 'destination';
      if (e.code === 'conflict' && !replace && /not empty/.test(e.message ?? '')) this.confirmReplace = out;
      else if (e.code === 'cancelled') this.error = 'Export cancelled; the destination was left as it was.';
      else throw err;
    } finally {
      off();
      this.jobId = null;
    }
  }

  private async run(out: string, replace: boolean, jobId: string): Promise<ExportResult> {
    if (this.kind === 'dataset') {
      const o = this.dataset;
      const pipeline = await this.pipelineSpec(o.pipeline);
      const result = await this.client.call('export.dataset', {
        datasetId: this.datasetId!,
        pipeline,
        copies: pipeline ? o.copies : 0,
        out,
        layout: o.layout,
        originals: o.originals,
        balance: pipeline ? o.balance : false,
        size: o.resize ? o.size : null,
        fit: o.fit,
        format: o.format,
        quality: o.quality,
        seed: o.seed,
        splits: o.splits,
        augmentSplits: o.augmentSplits,
        replace,
        jobId,
      });
      return { kind: 'dataset', result };
    }
    if (this.kind === 'pipeline') {
      const pipeline = (await this.pipelineSpec(this.pipelineSource)) ?? STANDARD_PIPELINE;
      const result = await this.client.call('export.pipeline', { pipeline, out, formats: this.pipelineFormats, name: this.pipelineName, replace });
      return { kind: 'pipeline', result, out };
    }
    const result = await this.client.call('export.model', { runId: this.runId!, out, replace });
    return { kind: 'model', result };
  }

  async cancel(): Promise<void> {
    if (!this.jobId || this.cancelling) return;
    this.cancelling = true;
    await this.client.call('jobs.cancel', { jobId: this.jobId });
  }
}
