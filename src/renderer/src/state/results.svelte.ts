import type { Client } from '../../../shared/api/client.js';
import type { ComparisonDetail, ComparisonSummary } from '../../../shared/api/compare.js';
import type { RunDetail, RunSummary } from '../../../shared/api/train.js';
import { errorText } from '../lib/format.js';

export type Selection = { kind: 'comparison'; id: number } | { kind: 'run'; id: string } | null;

/** The Results view: every comparison and single run, the one open, and its runs' details. */
export class ResultsState {
  comparisons = $state.raw<ComparisonSummary[]>([]);
  runs = $state.raw<RunSummary[]>([]);
  loaded = $state(false);
  listError = $state<string | null>(null);
  selection = $state.raw<Selection>(null);
  detail = $state.raw<ComparisonDetail | null>(null);
  run = $state.raw<RunDetail | null>(null);
  detailError = $state<string | null>(null);
  loadingDetail = $state(false);
  /** Run details by run id (confusion matrices and ROC curves live there). */
  runDetails = $state.raw<Record<string, RunDetail>>({});
  private token = 0;

  constructor(private readonly client: Client) {}

  /** Single runs: training runs that are not part of a comparison. */
  get singleRuns(): RunSummary[] {
    return this.runs.filter((r) => r.comparisonId === null);
  }

  get empty(): boolean {
    return this.loaded && this.comparisons.length === 0 && this.singleRuns.length === 0;
  }

  async refresh(): Promise<void> {
    try {
      const [{ comparisons }, { runs }] = await Promise.all([this.client.call('compare.list'), this.client.call('runs.list', { limit: 500 })]);
      this.comparisons = comparisons;
      this.runs = runs;
      this.listError = null;
      this.loaded = true;
      const sel = this.selection;
      const gone = sel && (sel.kind === 'comparison' ? !comparisons.some((c) => c.id === sel.id) : !runs.some((r) => r.id === sel.id));
      if (!sel || gone) {
        const first = comparisons[0];
        const firstRun = this.singleRuns[0];
        if (first) await this.open({ kind: 'comparison', id: first.id });
        else if (firstRun) await this.open({ kind: 'run', id: firstRun.id });
        else this.clear();
      } else if (sel.kind === 'comparison') {
        // Keep the table current while the comparison trains.
        const summary = comparisons.find((c) => c.id === sel.id);
        if (summary && (summary.status !== this.detail?.status || summary.done !== this.detail?.done)) await this.open(sel);
      } else {
        // A run resumed or still training: show its record as it is now.
        const summary = runs.find((r) => r.id === sel.id);
        if (summary && (summary.status !== this.run?.status || summary.epochsDone !== this.run?.epochs.length)) {
          this.forget(sel.id);
          await this.open(sel);
        }
      }
    } catch (err) {
      this.listError = errorText(err);
      this.loaded = true;
    }
  }

  private clear(): void {
    this.selection = null;
    this.detail = null;
    this.run = null;
  }

  async open(selection: Exclude<Selection, null>): Promise<void> {
    const token = ++this.token;
    this.selection = selection;
    this.detailError = null;
    this.loadingDetail = true;
    try {
      if (selection.kind === 'comparison') {
        const detail = await this.client.call('compare.get', { comparisonId: selection.id });
        if (token !== this.token) return;
        this.detail = detail;
        this.run = null;
      } else {
        const run = await this.runDetail(selection.id);
        if (token !== this.token) return;
        this.run = run;
        this.detail = null;
      }
    } catch (err) {
      if (token === this.token) {
        this.detailError = errorText(err);
        this.detail = null;
        this.run = null;
      }
    } finally {
      if (token === this.token) this.loadingDetail = false;
    }
  }

  /** One run's full record, fetched once it has finished (then it no longer changes). */
  async runDetail(runId: string): Promise<RunDetail> {
    const cached = this.runDetails[runId];
    if (cached) return cached;
    const run = await this.client.call('runs.get', { runId });
    if (run.status === 'done' || run.status === 'failed' || run.status === 'cancelled') this.runDetails = { ...this.runDetails, [runId]: run };
    return run;
  }

  /** Drops a run's cached record: it changes again (resumed). */
  forget(runId: string): void {
    if (!(runId in this.runDetails)) return;
    const { [runId]: _gone, ...rest } = this.runDetails;
    this.runDetails = rest;
  }

  async runDetailsOf(runIds: string[]): Promise<RunDetail[]> {
    return Promise.all(runIds.map((id) => this.runDetail(id)));
  }

  async removeComparison(id: number): Promise<void> {
    await this.client.call('compare.remove', { comparisonId: id });
    if (this.selection?.kind === 'comparison' && this.selection.id === id) this.clear();
    await this.refresh();
  }

  async removeRun(id: string): Promise<void> {
    await this.client.call('runs.delete', { runId: id });
    if (this.selection?.kind === 'run' && this.selection.id === id) this.clear();
    await this.refresh();
  }
}
