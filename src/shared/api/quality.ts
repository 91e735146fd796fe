import { z } from 'zod';
import { method } from './define.js';
import { id, jobId, splitName } from './common.js';
import { modelKind, runId, trainPipeline } from './train.js';

/** Folder-audit findings an image can have (see the quality engine for the thresholds). */
export const auditFlag = z.enum(['dark', 'bright', 'blurry', 'tiny', 'aspect', 'grayscale']);
export type AuditFlagName = z.infer<typeof auditFlag>;

const share = z.number().min(0).max(1);
const threshold = z.number().int().min(0).max(24);

export const duplicateMember = z.object({
  imageId: id,
  relPath: z.string(),
  classId: id.nullable(),
  className: z.string().nullable(),
  split: splitName.nullable(),
  excluded: z.boolean(),
  /** Bits between this image's perceptual hash and the group's first image's. */
  distance: z.number().int().min(0).max(64),
  /** Same bytes as the group's first image. */
  exact: z.boolean(),
});
export type DuplicateMember = z.infer<typeof duplicateMember>;

export const duplicateGroup = z.object({
  /** The group's smallest image id. */
  id,
  members: z.array(duplicateMember).min(2),
  /** Members sit in more than one of train/val/test. */
  leaks: z.boolean(),
});
export type DuplicateGroup = z.infer<typeof duplicateGroup>;

export const suspectStatus = z.enum(['open', 'accepted', 'kept', 'skipped']);
export const suspect = z.object({
  imageId: id,
  relPath: z.string(),
  givenClassId: id,
  given: z.string(),
  suggestedClassId: id,
  suggested: z.string(),
  /** 1 − p(given), out of sample: higher is more likely mislabeled (listed: as many images as confident learning estimates are mislabeled). */
  score: z.number(),
  selfConfidence: share,
  status: suspectStatus,
});
export type Suspect = z.infer<typeof suspect>;

const classHarm = z.object({ name: z.string(), images: z.number().int().nonnegative(), changed: share, accuracy: share, drop: z.number(), flagged: z.boolean() });
export const opHarm = z.object({
  index: z.number().int().nonnegative(),
  op: z.string(),
  changed: share,
  accuracy: share,
  drop: z.number(),
  /** Likely changes what the label means: drop ≥ 0.1 with ≥ 25% of predictions changed (overall or in a class). */
  flagged: z.boolean(),
  classes: z.array(classHarm),
});
export type OpHarm = z.infer<typeof opHarm>;
export const harmReport = z.object({ runId, images: z.number().int().positive(), baseAccuracy: share, ops: z.array(opHarm) });
export type HarmReport = z.infer<typeof harmReport>;

export const qualitySummary = z.object({
  datasetId: id,
  /** Images with quality measures / readable present images. */
  measured: z.number().int().nonnegative(),
  images: z.number().int().nonnegative(),
  threshold,
  duplicateGroups: z.number().int().nonnegative(),
  duplicateImages: z.number().int().nonnegative(),
  leakingGroups: z.number().int().nonnegative(),
  /** Images the leak fix would move. */
  leakingImages: z.number().int().nonnegative(),
  excluded: z.number().int().nonnegative(),
  audit: z.record(auditFlag, z.number().int().nonnegative()),
  openSuspects: z.number().int().nonnegative(),
});
export type QualitySummary = z.infer<typeof qualitySummary>;

export const qualityApi = {
  'quality.summary': method(
    'Data-quality overview of a dataset: duplicates, split leaks, audit findings, open mislabel suspects.',
    z.object({ datasetId: id }),
    qualitySummary,
  ),
  'quality.measure': method(
    'Compute perceptual hashes and audit measures for images that lack them (older imports) and regroup splits.',
    z.object({ datasetId: id, jobId: jobId.optional() }),
    z.object({ measured: z.number().int().nonnegative() }),
  ),
  'quality.duplicates': method(
    'Near-duplicate groups, largest first: same bytes, or perceptual hashes within the threshold and matching colours; every two members of a group are near-duplicates of each other (no chains).',
    z.object({ datasetId: id, threshold: threshold.optional() }),
    z.object({ threshold, groups: z.array(duplicateGroup) }),
  ),
  'quality.setThreshold': method(
    "Set the dataset's near-duplicate threshold (Hamming bits of 64); splits regroup with it.",
    z.object({ datasetId: id, threshold }),
    z.object({ threshold, groups: z.number().int().nonnegative() }),
  ),
  'quality.setExcluded': method(
    'Drop images from training, comparisons and export (excluded = true) or keep them; files are never touched.',
    z.object({ imageIds: z.array(id).min(1).max(100_000), excluded: z.boolean() }),
    z.object({ updated: z.number().int().nonnegative() }),
  ),
  'quality.fixLeaks': method(
    'Move the members of leaking duplicate groups (all, or the given group ids) to one split: where most of the group is.',
    z.object({ datasetId: id, groupIds: z.array(id).optional() }),
    z.object({ moved: z.number().int().nonnegative(), groups: z.number().int().nonnegative() }),
  ),
  'quality.findMislabels': method(
    'k-fold cross-validation (small, fast model, in a training process) and confident-learning ranking of likely mislabeled images; a job.',
    z.object({
      datasetId: id,
      folds: z.number().int().min(2).max(10).default(5),
      /** The most epochs a fold trains; it stops sooner once its inner validation loss stops falling. */
      epochs: z.number().int().min(1).max(100).default(20),
      size: z.number().int().min(8).max(128).default(32),
      model: modelKind.default('cnn'),
      seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
      /** Epochs without improvement before a fold stops; 0 trains every fold for all its epochs. */
      patience: z.number().int().min(0).max(100).default(3),
      jobId: jobId.optional(),
    }),
    z.object({
      suspects: z.number().int().nonnegative(),
      images: z.number().int().nonnegative(),
      /** Share of images whose out-of-sample prediction matches their label: how much to trust the ranking. */
      accuracy: share,
      seconds: z.number(),
    }),
  ),
  'quality.suspects': method(
    'The likely-mislabel review queue, most likely first.',
    z.object({ datasetId: id, status: suspectStatus.optional() }),
    z.object({ suspects: z.array(suspect) }),
  ),
  'quality.review': method(
    'Decide on a suspect: accept the suggested label (or, with classId, relabel it with another class), keep the given one, or skip; reopen undoes a decision (an accepted suspect still carrying the suggestion gets its given label back). Returns the labels it changed, as they were.',
    z.object({
      imageId: id,
      action: z.enum(['accept', 'keep', 'skip', 'reopen']),
      /** With accept: the class to give instead of the suggested one (the person knows better than both). */
      classId: id.optional(),
    }),
    z.object({ status: suspectStatus, previous: z.array(z.object({ imageId: id, classId: id.nullable() })) }),
  ),
  'quality.harmCheck': method(
    "Apply each op of a pipeline to a finished run's validation images and report, per class, how predictions and accuracy change.",
    z.object({
      runId,
      pipeline: trainPipeline,
      seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
      maxImages: z.number().int().min(1).max(5000).default(500),
      jobId: jobId.optional(),
    }),
    harmReport,
  ),
} as const;
