import { z } from 'zod';
import { method } from './define.js';
import { id } from './common.js';
import { errorCodes } from './errors.js';
import { transferConfig } from './transfer.js';

const seed = z.number().int().min(0).max(2 ** 31 - 1);
const unit = z.number().min(0).max(1);

export const modelKind = z.enum(['cnn', 'mlp']);
export type ModelKind = z.infer<typeof modelKind>;
export const optimizerName = z.enum(['adam', 'sgd', 'rmsprop']);
export type OptimizerName = z.infer<typeof optimizerName>;
export const backendName = z.enum(['tensorflow', 'wasm', 'cpu']);
export type TrainBackendName = z.infer<typeof backendName>;

export const earlyStoppingConfig = z.object({
  monitor: z.enum(['valLoss', 'valAcc']).default('valLoss'),
  /** Epochs without improvement before training stops. */
  patience: z.number().int().min(1).max(1000),
  /** An improvement smaller than this does not count. */
  minDelta: z.number().min(0).default(0),
  restoreBestWeights: z.boolean().default(true),
});
export type EarlyStoppingConfig = z.infer<typeof earlyStoppingConfig>;

/** The versioned augmentation pipeline document; the augment engine checks its ops when the run starts. */
export const trainPipeline = z
  .object({
    version: z.literal(1),
    ops: z.array(z.looseObject({ op: z.string().min(1, 'an op needs an "op" id') })),
  })
  .loose();
export type TrainPipeline = z.infer<typeof trainPipeline>;

/**
 * Everything that decides what a run learns. Seeds: `seed` drives all randomness; the role seeds
 * (split, subset, init, data) default to it, so arms of one comparison repeat that pass the same
 * seeds share their split, training subset, initial weights and batch order.
 */
export const trainConfig = z.object({
  model: modelKind.default('cnn'),
  /** Training images are resized to size × size pixels. */
  size: z.number().int().min(8).max(512).default(64),
  epochs: z.number().int().min(1).max(1000).default(20),
  batchSize: z.number().int().min(1).max(1024).default(32),
  optimizer: optimizerName.default('adam'),
  /** Null: the optimizer's usual rate (adam, rmsprop 0.001; sgd 0.01). */
  learningRate: z.number().positive().max(10).nullable().default(null),
  /** Momentum of sgd (0 = plain SGD). */
  momentum: z.number().min(0).max(0.999).default(0.9),
  l1: unit.default(0),
  l2: unit.default(0),
  dropout: z.number().min(0).max(0.9).default(0),
  batchNorm: z.boolean().default(false),
  earlyStopping: earlyStoppingConfig.nullable().default(null),
  labelSmoothing: z.number().min(0).max(0.5).default(0),
  /** MixUp Beta(α, α) parameter; 0 turns MixUp off. */
  mixup: z.number().min(0).max(10).default(0),
  /** CutMix Beta(α, α) parameter; 0 turns CutMix off. With both on, each batch uses one of them. */
  cutmix: z.number().min(0).max(10).default(0),
  /** Filters of the CNN's conv blocks (pooling between blocks). */
  filters: z.array(z.number().int().min(1).max(1024)).min(1).max(8).default([16, 32, 64]),
  /** Hidden layer widths of the MLP. */
  units: z.array(z.number().int().min(1).max(8192)).min(1).max(8).default([128]),
  pipeline: trainPipeline.nullable().default(null),
  seed: seed.default(0),
  splitSeed: seed.nullable().default(null),
  subsetSeed: seed.nullable().default(null),
  initSeed: seed.nullable().default(null),
  dataSeed: seed.nullable().default(null),
  /** Share of each class's training images to train on (nested: smaller shares are subsets of larger ones). */
  trainFraction: z.number().gt(0, 'trainFraction must be above 0').max(1).default(1),
  /** An explicit training subset (image ids of the train split); overrides trainFraction. */
  trainImageIds: z.array(id).min(1).nullable().default(null),
  /** Preferred TensorFlow.js backend; null picks the best available. */
  backend: backendName.nullable().default(null),
  /** Reuse a backbone from the model cache (feature extraction, fine-tuning or LoRA); null trains the model from scratch. */
  transfer: transferConfig.nullable().default(null),
});
export type TrainConfig = z.infer<typeof trainConfig>;
export type TrainConfigInput = z.input<typeof trainConfig>;

export const runStatus = z.enum(['queued', 'running', 'done', 'failed', 'cancelled']);
export type RunStatus = z.infer<typeof runStatus>;
export const runId = z.string().min(1).max(64).regex(/^[\w-]+$/, 'a run id has letters, digits, _ and -');

/** Losses become null when training diverged (NaN or infinite). */
const metric = z.number().nullable();

export const epochLog = z.object({
  epoch: z.number().int().positive(),
  loss: metric,
  acc: metric,
  valLoss: metric,
  valAcc: metric,
  seconds: z.number().nonnegative(),
});
export type EpochLog = z.infer<typeof epochLog>;

/** How the images were divided for this run, and how many of each went in. */
export const runData = z.object({
  classes: z.array(z.object({ id, name: z.string() })),
  split: z.discriminatedUnion('mode', [
    z.object({ mode: z.literal('dataset') }),
    /** The dataset had no validation images: a seeded, stratified share of the training pool became validation. */
    z.object({ mode: z.literal('auto'), train: unit, val: unit, seed }),
  ]),
  counts: z.object({
    train: z.number().int().nonnegative(),
    val: z.number().int().nonnegative(),
    test: z.number().int().nonnegative(),
  }),
  /** Labeled images left out: unreadable, missing, or without a split while others have one. */
  skipped: z.number().int().nonnegative(),
});
export type RunData = z.infer<typeof runData>;

export const classMetrics = z.object({
  name: z.string(),
  precision: z.number(),
  recall: z.number(),
  f1: z.number(),
  support: z.number().int().nonnegative(),
  /** One-vs-rest ROC AUC; null when the set lacks positives or negatives of the class. */
  auc: z.number().nullable(),
});

export const rocCurve = z.object({ name: z.string(), auc: z.number().nullable(), fpr: z.array(z.number()), tpr: z.array(z.number()) });

export const evalMetrics = z.object({
  n: z.number().int().nonnegative(),
  loss: metric,
  accuracy: z.number(),
  macroF1: z.number(),
  macroAuc: z.number().nullable(),
  /** Fowlkes–Mallows index of predicted vs true labels. */
  fmi: z.number(),
  /** Rows are true classes, columns predicted classes, in `classes` order. */
  confusion: z.array(z.array(z.number().int().nonnegative())),
  perClass: z.array(classMetrics),
  roc: z.array(rocCurve),
});
export type EvalMetrics = z.infer<typeof evalMetrics>;

export const runMetrics = z.object({
  classes: z.array(z.string()),
  /** Epoch (1-based) whose weights the model kept. */
  bestEpoch: z.number().int().positive(),
  stopReason: z.enum(['completed', 'early_stopping', 'diverged']),
  /** Accuracy on the training images without augmentation, with the final weights. */
  trainAcc: z.number(),
  trainLoss: metric,
  valAcc: z.number(),
  /** trainAcc − valAcc. */
  gap: z.number(),
  val: evalMetrics,
  test: evalMetrics.nullable(),
  seconds: z.number().nonnegative(),
  /** Weights the optimizer updated (for transfer: head, unfrozen layers or adapters); null in runs recorded before it was counted. */
  trainableParams: z.number().int().nonnegative().nullable().optional(),
});
export type RunMetrics = z.infer<typeof runMetrics>;

/**
 * Why a run failed: an API error code of what the training threw (io_error: an unreadable image;
 * internal: our bug), or what befell its process — out_of_memory, crashed (killed or exited without
 * a word), interrupted (the program that ran it closed).
 */
export const runErrorCode = z.enum([...errorCodes, 'out_of_memory', 'crashed', 'interrupted']);
export type RunErrorCode = z.infer<typeof runErrorCode>;

export const runSummary = z.object({
  id: runId,
  datasetId: id,
  comparisonId: id.nullable(),
  arm: z.string().nullable(),
  repeat: z.number().int().nonnegative().nullable(),
  status: runStatus,
  backend: backendName.nullable(),
  error: z.string().nullable(),
  /** Set with `error` when the run failed. */
  errorCode: runErrorCode.nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  epochsDone: z.number().int().nonnegative(),
  maxEpochs: z.number().int().positive(),
  valAcc: z.number().nullable(),
  modelPath: z.string().nullable(),
});
export type RunSummary = z.infer<typeof runSummary>;

export const runDetail = runSummary.extend({
  config: trainConfig,
  data: runData.nullable(),
  epochs: z.array(epochLog),
  metrics: runMetrics.nullable(),
  /**
   * The epoch `runs.resume` would continue from (its last checkpoint's epoch + 1): set for a failed
   * or cancelled single run that has a checkpoint, null otherwise. A changed dataset is only found
   * (and refused, with why) when the resume is asked for.
   */
  resumeFrom: z.number().int().positive().nullable(),
});
export type RunDetail = z.infer<typeof runDetail>;

export const runPhase = z.enum(['starting', 'decoding', 'training', 'evaluating', 'saving']);

/** Events of the train domain (listed in events.ts). */
export const runProgressEvent = z.object({
  runId,
  phase: runPhase,
  epoch: z.number().int().nonnegative(),
  epochs: z.number().int().positive(),
  batch: z.number().int().nonnegative(),
  batches: z.number().int().nonnegative(),
  /** Work units done and total for the phase (images decoded, batches trained, …). */
  done: z.number().nonnegative(),
  total: z.number().nonnegative(),
  /** Running means over the epoch so far. */
  loss: metric,
  acc: metric,
  etaSeconds: z.number().nonnegative().nullable(),
});
export type RunProgressEvent = z.infer<typeof runProgressEvent>;
export const runEpochEvent = epochLog.extend({ runId, epochs: z.number().int().positive() });
export type RunEpochEvent = z.infer<typeof runEpochEvent>;
export const runStatusEvent = z.object({ runId, datasetId: id, comparisonId: id.nullable(), status: runStatus, error: z.string().nullable(), errorCode: runErrorCode.nullable() });
export type RunStatusEvent = z.infer<typeof runStatusEvent>;

export const trainApi = {
  'train.start': method(
    'Queue a training run on a dataset and return its id at once; follow run.progress, run.epoch and run.status.',
    trainConfig.extend({ datasetId: id }),
    z.object({ runId }),
  ),
  'train.cancel': method(
    'Stop a queued or running training run; it is marked cancelled.',
    z.object({ runId }),
    z.object({ cancelled: z.boolean() }),
  ),
  'runs.list': method(
    'Training runs, newest first, optionally of one dataset, comparison or status.',
    z
      .object({ datasetId: id.optional(), comparisonId: id.optional(), status: runStatus.optional(), limit: z.number().int().positive().max(10_000).default(500) })
      .default({ limit: 500 }),
    z.object({ runs: z.array(runSummary) }),
  ),
  'runs.get': method('One run with its configuration, per-epoch curves and final metrics.', z.object({ runId }), runDetail),
  'runs.resume': method(
    'Continue a failed or cancelled run (killed, crashed, interrupted) from its last epoch checkpoint, under the same id; it trains as the uninterrupted run would have.',
    z.object({ runId }),
    z.object({ runId, fromEpoch: z.number().int().positive() }),
  ),
  'runs.delete': method(
    'Forget a run and delete its trained model (a running run is cancelled first).',
    z.object({ runId }),
    z.object({ deleted: z.boolean() }),
  ),
} as const;
