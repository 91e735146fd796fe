import type { Command } from 'commander';
import { ApiError, errorCodes, type ErrorCode } from '../../shared/api/errors.js';
import type { EventName, EventPayload } from '../../shared/api/events.js';
import { modelKind, optimizerName, type RunDetail, type TrainConfigInput } from '../../shared/api/train.js';
import { readPipelineFile } from '../../core/augment/pipeline-store.js';
import type { AppContext } from '../../core/context.js';
import { datasetByName } from '../../core/library/datasets.js';
import { runManager } from '../../core/train/run-manager.js';
import { dispatch } from '../../core/transport/dispatch.js';
import type { ProgressBar } from '../progress.js';
import { numberOption, runCommand } from '../run-command.js';
import type { TrainFlags } from '../commands/train.js';

/** A dataset by id or by name. */
function resolveDataset(ctx: AppContext, ref: string): number {
  if (/^\d+$/.test(ref)) {
    const found = ctx.db.prepare('SELECT id FROM datasets WHERE id = ?').get(Number(ref)) as { id: number } | undefined;
    if (found) return found.id;
  }
  const byName = datasetByName(ctx.db, ref);
  if (!byName) throw new ApiError('not_found', `There is no dataset "${ref}"; see \`smallset stats\` for the datasets in the library.`);
  return byName.id;
}

function choice<T extends string>(value: string | undefined, name: string, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  const found = allowed.find((a) => a === value);
  if (!found) throw new ApiError('invalid_input', `--${name} must be one of ${allowed.join(', ')}, got "${value}".`);
  return found;
}

async function configFromFlags(f: TrainFlags): Promise<TrainConfigInput> {
  const patience = numberOption(f.earlyStopping, 'early-stopping', { int: true, min: 1, max: 1000 });
  const monitor = choice(f.monitor, 'monitor', ['valLoss', 'valAcc'] as const);
  const entries: [keyof TrainConfigInput, unknown][] = [
    ['pipeline', f.pipeline ? await readPipelineFile(f.pipeline) : undefined],
    ['size', numberOption(f.size, 'size', { int: true, min: 8, max: 512 })],
    ['epochs', numberOption(f.epochs, 'epochs', { int: true, min: 1, max: 1000 })],
    ['batchSize', numberOption(f.batchSize, 'batch-size', { int: true, min: 1, max: 1024 })],
    ['learningRate', numberOption(f.lr, 'lr', { min: 1e-8, max: 10 })],
    ['optimizer', choice(f.optimizer, 'optimizer', optimizerName.options)],
    ['model', choice(f.model, 'model', modelKind.options)],
    ['l1', numberOption(f.l1, 'l1', { min: 0, max: 1 })],
    ['l2', numberOption(f.l2, 'l2', { min: 0, max: 1 })],
    ['dropout', numberOption(f.dropout, 'dropout', { min: 0, max: 0.9 })],
    ['batchNorm', f.batchnorm ? true : undefined],
    ['earlyStopping', patience !== undefined ? { patience, ...(monitor ? { monitor } : {}) } : undefined],
    ['labelSmoothing', numberOption(f.labelSmoothing, 'label-smoothing', { min: 0, max: 0.5 })],
    ['mixup', numberOption(f.mixup, 'mixup', { min: 0, max: 10 })],
    ['cutmix', numberOption(f.cutmix, 'cutmix', { min: 0, max: 10 })],
    ['trainFraction', numberOption(f.trainFraction, 'train-fraction', { min: 1e-6, max: 1 })],
    ['seed', numberOption(f.seed, 'seed', { int: true, min: 0, max: 2 ** 31 - 1 })],
  ];
  return Object.fromEntries(entries.filter(([, v]) => v !== undefined)) as TrainConfigInput;
}

/** The stable --json shape, exactly as documented (scripts depend on it). */
function jsonResult(run: RunDetail) {
  const m = run.metrics!;
  return {
    runId: run.id,
    backend: run.backend,
    epochs: run.epochs.map(({ epoch, loss, acc, valLoss, valAcc }) => ({ epoch, loss, acc, valLoss, valAcc })),
    metrics: { valAcc: m.valAcc, macroF1: m.val.macroF1, macroAuc: m.val.macroAuc, fmi: m.val.fmi, gap: m.gap, confusion: m.val.confusion },
  };
}

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '–' : `${(x * 100).toFixed(1)}%`);

const num = (x: number | null | undefined) => (x === null || x === undefined ? '–' : x.toFixed(4));

function humanResult(run: RunDetail): string {
  const lines = [`epoch  loss     acc     val loss  val acc`];
  for (const e of run.epochs) lines.push(`${String(e.epoch).padStart(5)}  ${num(e.loss)}  ${pct(e.acc).padStart(6)}  ${num(e.valLoss)}    ${pct(e.valAcc).padStart(6)}`);
  const m = run.metrics!;
  lines.push(
    '',
    `Run ${run.id} on ${run.backend}: validation accuracy ${pct(m.valAcc)}, macro-F1 ${num(m.val.macroF1)}, macro AUC ${num(m.val.macroAuc)}, FMI ${num(m.val.fmi)}`,
    `Train accuracy ${pct(m.trainAcc)} → generalization gap ${(m.gap * 100).toFixed(1)} points${m.test ? `; test accuracy ${pct(m.test.accuracy)}` : ''}`,
    `Kept the weights of epoch ${m.bestEpoch} (${m.stopReason.replace('_', ' ')}). Model: ${run.modelPath}`,
  );
  return lines.join('\n');
}

/** Shows a run's progress until it ends; Ctrl-C cancels it. Returns its detail, or throws why it did not finish. */
async function followRun(ctx: AppContext, runId: string, progress: ProgressBar, signal: AbortSignal): Promise<RunDetail> {
  const off = ctx.events.onAny((event: EventName, payload: unknown) => {
    if (event !== 'run.progress') return;
    const p = payload as EventPayload<'run.progress'>;
    if (p.runId !== runId) return;
    const label = p.phase === 'training' ? `epoch ${p.epoch}/${p.epochs} loss ${num(p.loss)} acc ${pct(p.acc)}` : p.phase;
    progress.update({ done: p.done, total: p.total, phase: label });
  });
  const cancel = () => void dispatch(ctx, 'train.cancel', { runId });
  signal.addEventListener('abort', cancel, { once: true });
  try {
    const ended = await runManager(ctx).waitForRun(runId);
    if (ended.status === 'cancelled') throw new ApiError('cancelled', `Training run ${runId} was cancelled; \`smallset resume ${runId}\` continues it from its last epoch.`);
    if (ended.status === 'failed') {
      const code = (errorCodes as readonly string[]).includes(ended.errorCode ?? '') ? (ended.errorCode as ErrorCode) : 'internal';
      const hint = ended.errorCode === 'crashed' || ended.errorCode === 'interrupted' ? ` \`smallset resume ${runId}\` continues it from its last finished epoch.` : '';
      throw new ApiError(code, `Training run ${runId} failed: ${ended.error ?? 'unknown error'}${hint}`);
    }
  } finally {
    off();
    signal.removeEventListener('abort', cancel);
  }
  return (await dispatch(ctx, 'runs.get', { runId })) as RunDetail;
}

export async function resumeAction(runId: string, _flags: unknown, cmd: Command): Promise<void> {
  await runCommand(
    cmd,
    async ({ ctx, progress, signal }) => {
      await dispatch(ctx, 'runs.resume', { runId });
      return followRun(ctx, runId, progress, signal);
    },
    humanResult,
    jsonResult,
  );
}

export async function trainAction(datasetRef: string, flags: TrainFlags, cmd: Command): Promise<void> {
  await runCommand(
    cmd,
    async ({ ctx, progress, signal }) => {
      const datasetId = resolveDataset(ctx, datasetRef);
      const config = await configFromFlags(flags);
      const { runId } = (await dispatch(ctx, 'train.start', { datasetId, ...config })) as { runId: string };
      return followRun(ctx, runId, progress, signal);
    },
    humanResult,
    jsonResult,
  );
}
