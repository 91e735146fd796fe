import { z } from 'zod';
import { method } from './define.js';
import { counts, fileError, id, jobId, localPath, splitName } from './common.js';
import { auditFlag } from './quality.js';

export const datasetSummary = z.object({
  id,
  name: z.string(),
  root: z.string(),
  images: z.number().int().nonnegative(),
  classes: counts,
  splits: counts,
  unlabeled: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  /** Rows kept (with their labels) for files that a rescan no longer found; not in the other counts. */
  missing: z.number().int().nonnegative(),
  createdAt: z.string(),
});
export type DatasetSummary = z.infer<typeof datasetSummary>;

export const importResult = z.object({
  datasetId: id,
  imported: z.number().int().nonnegative(),
  duplicates: z.number().int().nonnegative(),
  duplicateFiles: z.array(z.object({ path: z.string(), sameAs: z.string() })),
  errors: z.array(fileError),
  classes: counts,
  splits: counts,
  seconds: z.number(),
});
export type ImportResult = z.infer<typeof importResult>;

export const rescanResult = z.object({
  datasetId: id,
  added: z.number().int().nonnegative(),
  removed: z.number().int().nonnegative(),
  changed: z.number().int().nonnegative(),
  moved: z.number().int().nonnegative(),
  duplicates: z.number().int().nonnegative(),
  errors: z.array(fileError),
});
export type RescanResult = z.infer<typeof rescanResult>;

export const classInfo = z.object({
  id,
  datasetId: id,
  name: z.string(),
  color: z.string(),
  count: z.number().int().nonnegative(),
});
export type ClassInfo = z.infer<typeof classInfo>;

export const imageRow = z.object({
  id,
  datasetId: id,
  path: z.string(),
  relPath: z.string(),
  name: z.string(),
  classId: id.nullable(),
  className: z.string().nullable(),
  split: splitName.nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  format: z.string().nullable(),
  size: z.number().int().nonnegative(),
  error: z.string().nullable(),
  missing: z.boolean(),
});
export type ImageRow = z.infer<typeof imageRow>;

export const imageDetail = imageRow.extend({
  hash: z.string().nullable(),
  mtime: z.number(),
  orientation: z.number().int().nullable(),
  createdAt: z.string(),
});
export type ImageDetail = z.infer<typeof imageDetail>;

export const imageFilter = z.object({
  datasetId: id,
  classId: id.optional(),
  split: splitName.optional(),
  unlabeled: z.boolean().optional(),
  hasError: z.boolean().optional(),
  /** Files a rescan no longer found are left out unless this is true (then only they are listed). */
  missing: z.boolean().optional(),
  /** Case-insensitive match anywhere in the path relative to the dataset folder. */
  text: z.string().max(500).optional(),
  /** Only images the folder audit flagged this way (dark, blurry, …). */
  audit: auditFlag.optional(),
  /** true: only images dropped from training; false: only images kept. */
  excluded: z.boolean().optional(),
});
export type ImageFilter = z.infer<typeof imageFilter>;

const className = z
  .string()
  .trim()
  .min(1, 'a class name cannot be empty')
  .max(100)
  .refine((s) => !/[/\\]/.test(s), 'a class name cannot contain / or \\');
const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'use a colour like #3b82f6');

export const libraryApi = {
  'datasets.list': method(
    'Every dataset in the library with its counts.',
    z.object({}).default({}),
    z.object({ datasets: z.array(datasetSummary) }),
  ),
  'datasets.import': method(
    'Import a folder (recursively) as a new dataset; class folders give classes, split folders give splits.',
    z.object({ path: localPath, name: z.string().trim().min(1).max(200).optional(), jobId: jobId.optional() }),
    importResult,
  ),
  'datasets.rescan': method(
    'Find new, removed, changed and moved files in a dataset folder.',
    z.object({ datasetId: id, jobId: jobId.optional() }),
    rescanResult,
  ),
  'datasets.rename': method(
    'Rename a dataset.',
    z.object({ datasetId: id, name: z.string().trim().min(1).max(200) }),
    datasetSummary,
  ),
  'datasets.remove': method(
    'Forget a dataset (its files on disk are never touched).',
    z.object({ datasetId: id }),
    z.object({ removed: z.boolean() }),
  ),
  'datasets.createSample': method(
    'Write the generated sample dataset into the data folder and import it.',
    z.object({ jobId: jobId.optional() }).default({}),
    importResult,
  ),
  'classes.list': method(
    'Classes of a dataset with their image counts.',
    z.object({ datasetId: id }),
    z.object({ classes: z.array(classInfo) }),
  ),
  'classes.create': method(
    'Create a class.',
    z.object({ datasetId: id, name: className, color: color.optional() }),
    classInfo,
  ),
  'classes.update': method(
    'Rename a class or change its colour.',
    z.object({ classId: id, name: className.optional(), color: color.optional() }),
    classInfo,
  ),
  'classes.merge': method(
    'Merge classes into a target class; the sources are deleted.',
    z.object({ sourceIds: z.array(id).min(1), targetId: id }),
    classInfo,
  ),
  'classes.delete': method(
    'Delete a class; its images become unlabeled.',
    z.object({ classId: id }),
    z.object({ unlabeled: z.number().int().nonnegative() }),
  ),
  'images.query': method(
    'A page of images matching a filter, with the total count.',
    imageFilter.extend({
      offset: z.number().int().nonnegative().default(0),
      limit: z.number().int().positive().max(5000).default(200),
    }),
    z.object({ total: z.number().int().nonnegative(), images: z.array(imageRow) }),
  ),
  'images.get': method('One image with all its metadata.', z.object({ imageId: id }), imageDetail),
  'images.label': method(
    'Give images a class (null unlabels). Returns the previous labels so the change can be undone.',
    z.object({ imageIds: z.array(id).min(1).max(100_000), classId: id.nullable() }),
    z.object({
      updated: z.number().int().nonnegative(),
      previous: z.array(z.object({ imageId: id, classId: id.nullable() })),
    }),
  ),
  'images.restoreLabels': method(
    'Put back labels returned by images.label (undo).',
    z.object({ labels: z.array(z.object({ imageId: id, classId: id.nullable() })).min(1) }),
    z.object({ updated: z.number().int().nonnegative() }),
  ),
  'splits.assign': method(
    'Stratified, seeded train/val/test split; stable when images are added later.',
    z
      .object({
        datasetId: id,
        train: z.number().min(0).max(1),
        val: z.number().min(0).max(1),
        test: z.number().min(0).max(1),
        seed: z.number().int().default(0),
        keepFolderSplits: z.boolean().default(true),
      })
      .refine((s) => Math.abs(s.train + s.val + s.test - 1) < 1e-6, {
        message: 'train + val + test must add up to 1',
        path: ['train'],
      }),
    z.object({
      splits: counts,
      /** Images moved after the split so each near-duplicate group sits on one side (the ratios shift by that much). */
      movedForDuplicates: z.number().int().nonnegative(),
    }),
  ),
} as const;
