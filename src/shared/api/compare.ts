import { z } from 'zod';
import { method } from './define.js';
import { id, ok } from './common.js';
import { trainConfig } from './train.js';
import { backboneName, transferConfig } from './transfer.js';
import { presetIds } from './names.js';

/**
 * An augmentation pipeline as the compare domain carries it: the versioned pipeline document
 * (see DESIGN.md). Its ops are checked in depth by the augment engine when a run starts.
 */
export const comparePipeline = z
  .object({
    version: z.literal(1),
    ops: z.array(z.looseObject({ op: z.string().min(1, 'an op needs an "op" id') })),
  })
  .loose();
export type ComparePipeline = z.infer<typeof comparePipeline>;

/** Model settings an arm may set; left out, they take the training defaults. Same ranges as a training run. */
const t = trainConfig.shape;
const modelOptions = {
  model: t.model.unwrap().optional(),
  filters: t.filters.unwrap().optional(),
  units: t.units.unwrap().optional(),
  optimizer: t.optimizer.unwrap().optional(),
  learningRate: t.learningRate.unwrap().optional(),
  batchSize: t.batchSize.unwrap().optional(),
  labelSmoothing: t.labelSmoothing.unwrap().optional(),
  mixup: t.mixup.unwrap().optional(),
  cutmix: t.cutmix.unwrap().optional(),
  /** Reuse a backbone (feature extraction, fine-tuning or LoRA); left out or null trains from scratch. */
  transfer: transferConfig.nullable().optional(),
};

/** One arm: which data it trains on (pipeline or none), the model, and how it is regularized. */
export const armSpec = z.strictObject({
  ...modelOptions,
  name: z.string().trim().min(1, 'an arm needs a name').max(80),
  pipeline: comparePipeline.nullable().default(null),
  l1: z.number().min(0).max(1).default(0),
  l2: z.number().min(0).max(1).default(0),
  dropout: z.number().min(0).max(0.9).default(0),
  batchNorm: z.boolean().default(false),
  /** Patience in epochs; null trains every epoch. */
  earlyStopping: z.number().int().min(1).max(1000).nullable().default(null),
});
export type ArmSpec = z.infer<typeof armSpec>;
export type ArmSpecInput = z.input<typeof armSpec>;

export { presetIds };
export const presetId = z.enum(presetIds);
export type PresetId = z.infer<typeof presetId>;

export const presetInfo = z.object({
  id: presetId,
  label: z.string(),
  description: z.string(),
  /** True when the preset builds its arms from a pipeline (a default one is used if none is given). */
  usesPipeline: z.boolean(),
  /** Ablation cannot take apart a pipeline of fewer than two ops. */
  minOps: z.number().int().nonnegative(),
  fractions: z.array(z.number()),
  /** True when the preset needs a backbone from the model cache (see backbones.list). */
  needsBackbone: z.boolean().default(false),
  /** The arms the preset builds, by name, in order. */
  armNames: z.array(z.string()).default([]),
});
export type PresetInfo = z.infer<typeof presetInfo>;

const fraction = z.number().gt(0, 'a training fraction must be above 0').max(1, 'a training fraction is at most 1');

export const comparisonSettings = z.object({
  repeats: z.number().int().min(1).max(50).default(3),
  /** Fractions of each class's training images; nested within a repeat (10% ⊂ 25% ⊂ …). */
  fractions: z
    .array(fraction)
    .min(1)
    .max(10)
    .refine((f) => new Set(f).size === f.length, 'fractions must not repeat')
    .optional(),
  epochs: z.number().int().min(1).max(1000).default(20),
  size: z.number().int().min(8).max(512).optional(),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
});

export const compareStartInput = comparisonSettings
  .extend({
    datasetId: id,
    name: z.string().trim().min(1).max(200).optional(),
    preset: presetId.optional(),
    /** Used by presets; ignored when arms are given. */
    pipeline: comparePipeline.nullable().optional(),
    /** The backbone a transfer preset reuses (a name from backbones.list). */
    backbone: backboneName.optional(),
    arms: z.array(armSpec).min(1).max(40).optional(),
    /** Name of the arm the others are compared with; the first arm by default. */
    baseline: z.string().optional(),
    /** Runs at once; default: half the cores, at least one. */
    concurrency: z.number().int().min(1).max(16).optional(),
  })
  .refine((s) => (s.preset === undefined) !== (s.arms === undefined), {
    message: 'give either a preset or a list of arms',
    path: ['arms'],
  });
export type CompareStartInput = z.input<typeof compareStartInput>;

export const comparisonStatus = z.enum(['queued', 'running', 'done', 'failed', 'cancelled']);
export type ComparisonStatus = z.infer<typeof comparisonStatus>;
export const comparisonRunStatus = z.enum(['pending', 'running', 'done', 'failed', 'cancelled']);
export type ComparisonRunStatus = z.infer<typeof comparisonRunStatus>;

const ci = z.tuple([z.number(), z.number()]).nullable();
export const stat = z.object({ mean: z.number().nullable(), ci, sd: z.number().nullable(), n: z.number().int().nonnegative() });
export type Stat = z.infer<typeof stat>;

export const armResult = z.object({
  name: z.string(),
  fraction: z.number(),
  runs: z.number().int().nonnegative(),
  trainAcc: stat,
  valAcc: stat,
  testAcc: stat.nullable(),
  macroAuc: stat,
  /** Train accuracy − validation accuracy, per run, then averaged. */
  gap: stat,
  epochs: stat,
  /** Weights the optimizer updated in this arm's runs (the same in every run); null when not recorded. */
  trainableParams: z.number().int().nonnegative().nullable(),
  /** Wall time per run, decoding to saving. */
  seconds: stat,
});
export type ArmResult = z.infer<typeof armResult>;

export const vsBaseline = z.object({
  arm: z.string(),
  baseline: z.string(),
  fraction: z.number(),
  metric: z.enum(['valAcc', 'testAcc']),
  diff: z.number().nullable(),
  ci,
  wins: z.number().int().nonnegative(),
  ties: z.number().int().nonnegative(),
  losses: z.number().int().nonnegative(),
  repeats: z.number().int().nonnegative(),
  kind: z.enum(['better', 'worse', 'unclear', 'too_few']),
  text: z.string(),
});
export type VsBaseline = z.infer<typeof vsBaseline>;

/** Mean over repeats per epoch, with the 95% interval as a band; n drops when runs stop early. */
export const curvePoint = z.object({
  epoch: z.number().int().positive(),
  n: z.number().int().positive(),
  train: z.number(),
  trainLo: z.number(),
  trainHi: z.number(),
  val: z.number(),
  valLo: z.number(),
  valHi: z.number(),
});
export const armCurve = z.object({ arm: z.string(), fraction: z.number(), points: z.array(curvePoint) });
export type ArmCurve = z.infer<typeof armCurve>;

export const comparisonRunRow = z.object({
  id,
  arm: z.string(),
  armIndex: z.number().int().nonnegative(),
  repeat: z.number().int().nonnegative(),
  fraction: z.number(),
  seed: z.number().int(),
  status: comparisonRunStatus,
  runId: z.string().nullable(),
  attempts: z.number().int().nonnegative(),
  error: z.string().nullable(),
  trainAcc: z.number().nullable(),
  valAcc: z.number().nullable(),
  testAcc: z.number().nullable(),
  macroAuc: z.number().nullable(),
  epochs: z.number().int().nullable(),
  backend: z.string().nullable(),
});
export type ComparisonRunRow = z.infer<typeof comparisonRunRow>;

export const comparisonSummary = z.object({
  id,
  datasetId: id,
  name: z.string(),
  preset: presetId.nullable(),
  status: comparisonStatus,
  total: z.number().int().nonnegative(),
  done: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  verdict: z.string().nullable(),
});
export type ComparisonSummary = z.infer<typeof comparisonSummary>;

export const comparisonConfig = z.object({
  arms: z.array(armSpec).min(1),
  baseline: z.string(),
  repeats: z.number().int().positive(),
  fractions: z.array(z.number()),
  epochs: z.number().int().positive(),
  size: z.number().int().positive().nullable(),
  seed: z.number().int(),
  concurrency: z.number().int().positive(),
});
export type ComparisonConfig = z.infer<typeof comparisonConfig>;

export const comparisonDetail = comparisonSummary.extend({
  config: comparisonConfig,
  /** Which accuracy the verdict is about: test when every run has a test split, else validation. */
  metric: z.enum(['valAcc', 'testAcc']),
  arms: z.array(armResult),
  vsBaseline: z.array(vsBaseline),
  curves: z.array(armCurve),
  runs: z.array(comparisonRunRow),
});
export type ComparisonDetail = z.infer<typeof comparisonDetail>;

/** Event 'compare.progress': sent when a run of the comparison starts or ends, and when it settles. */
export const comparisonProgress = z.object({
  comparisonId: id,
  status: comparisonStatus,
  total: z.number().int().nonnegative(),
  done: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  cancelled: z.number().int().nonnegative(),
  pending: z.number().int().nonnegative(),
  /** Runs training now; follow their run.progress / run.epoch events by runId. */
  running: z.array(z.object({ runId: z.string().nullable(), arm: z.string(), repeat: z.number().int(), fraction: z.number() })),
  verdict: z.string().nullable(),
});
export type ComparisonProgress = z.infer<typeof comparisonProgress>;

export const compareApi = {
  'compare.presets': method(
    'The ready-made comparisons (raw vs augmented, + regularization, ablation, learning curve).',
    z.object({}).default({}),
    z.object({ presets: z.array(presetInfo) }),
  ),
  'compare.start': method(
    'Queue a comparison (arms × repeats × fractions) and return its id at once; follow compare.progress.',
    compareStartInput,
    z.object({
      comparisonId: id,
      runs: z.number().int().positive(),
      /** Set when the dataset's split leaks near-duplicates across train/val/test. */
      warning: z.string().optional(),
    }),
  ),
  'compare.get': method(
    'A comparison with its runs, per-arm statistics, paired differences to the baseline and the verdict.',
    z.object({ comparisonId: id }),
    comparisonDetail,
  ),
  'compare.list': method(
    'Comparisons, newest first, optionally of one dataset.',
    z.object({ datasetId: id.optional() }).default({}),
    z.object({ comparisons: z.array(comparisonSummary) }),
  ),
  'compare.cancel': method(
    'Cancel a whole comparison: running runs stop, pending ones never start.',
    z.object({ comparisonId: id }),
    z.object({ cancelled: z.number().int().nonnegative() }),
  ),
  'compare.remove': method('Forget a finished or cancelled comparison (its runs stay).', z.object({ comparisonId: id }), ok),
  'compare.report': method(
    'Write a self-contained HTML report plus the raw results as JSON and CSV; returns their paths.',
    z.object({ comparisonId: id, dir: z.string().min(1).optional() }),
    z.object({ dir: z.string(), html: z.string(), json: z.string(), csv: z.string() }),
  ),
  'compare.reportHtml': method(
    'The self-contained HTML report as text, for a page to download or save, with a file name to suggest.',
    z.object({ comparisonId: id }),
    z.object({ fileName: z.string(), html: z.string() }),
  ),
} as const;
