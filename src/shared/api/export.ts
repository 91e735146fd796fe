import { z } from 'zod';
import { method } from './define.js';
import { counts, id, jobId, localPath, splitName } from './common.js';
import { pipelineSpec } from './augment.js';
import { runId } from './train.js';
import { pipelineExportFormats } from './names.js';

/** `imagefolder`: `split/class/file` (Keras image_dataset_from_directory, torchvision ImageFolder); `flat`: `images/file` + labels.csv. */
export const exportLayout = z.enum(['imagefolder', 'flat']);
export type ExportLayout = z.infer<typeof exportLayout>;
export const exportFormat = z.enum(['jpeg', 'png', 'webp']);
export type ExportFormat = z.infer<typeof exportFormat>;
/** How an image meets `size`: `cover` crops the centre square, `fill` stretches to a square, `inside` keeps the aspect ratio (longest side = size). */
export const exportFit = z.enum(['cover', 'fill', 'inside']);
export type ExportFit = z.infer<typeof exportFit>;

const destination = z.string().trim().min(1, 'name a destination folder').pipe(localPath);

export const exportDatasetInput = z.object({
  datasetId: id,
  /** Null exports originals only (resized and re-encoded), so `copies` must then be 0. */
  pipeline: pipelineSpec.nullable().default(null),
  /** Augmented copies of each image of an augmented split (copy indices 0…copies−1, as in the preview). */
  copies: z.number().int().min(0).max(1000).default(1),
  out: destination,
  layout: exportLayout.default('imagefolder'),
  /** Also write each image itself (decoded, resized, re-encoded). Splits that are not augmented always get their originals. */
  originals: z.boolean().default(true),
  /** Give minority classes of each augmented split more copies, so every class ends with as many files as the largest. */
  balance: z.boolean().default(false),
  /** Output side in pixels; null keeps the size the pipeline produces. */
  size: z.number().int().min(8).max(4096).nullable().default(null),
  fit: exportFit.default('cover'),
  format: exportFormat.default('jpeg'),
  /** JPEG / WebP quality. */
  quality: z.number().int().min(1).max(100).default(90),
  seed: z.number().int().min(0).max(2 ** 32 - 1).default(0),
  /** Splits to export; images of other splits (and images without a split) are left out. */
  splits: z.array(splitName).min(1, 'export at least one split').default(['train', 'val', 'test']),
  /** Splits that get augmented copies; augmenting validation or test images would blur what they measure. */
  augmentSplits: z.array(splitName).default(['train']),
  /** Replace a non-empty destination folder (it is swapped out only when the new export is complete). */
  replace: z.boolean().default(false),
  jobId: jobId.optional(),
});
export type ExportDatasetInput = z.input<typeof exportDatasetInput>;
export type ExportDatasetOptions = z.output<typeof exportDatasetInput>;

export const exportSkipped = z.object({
  unlabeled: z.number().int().nonnegative(),
  unreadable: z.number().int().nonnegative(),
  /** Files the library already knows are missing (rescan found them gone). */
  missing: z.number().int().nonnegative(),
  /** Images of splits not exported, or without a split. */
  otherSplits: z.number().int().nonnegative(),
});

export const exportDatasetResult = z.object({
  out: z.string(),
  /** Image files written. */
  files: z.number().int().nonnegative(),
  perClass: counts,
  /** Image files per split, then per class. */
  perSplit: z.record(z.string(), counts),
  /** manifest.csv; manifest.jsonl sits beside it. */
  manifest: z.string(),
  manifestJsonl: z.string(),
  readme: z.string(),
  skipped: exportSkipped,
  seconds: z.number().nonnegative(),
});
export type ExportDatasetResult = z.infer<typeof exportDatasetResult>;

export const pipelineExportFormat = z.enum(pipelineExportFormats);
export type PipelineExportFormat = z.infer<typeof pipelineExportFormat>;

/** The file a pipeline export writes for one format: `<name>.json`, or `<name>_<format>.py` for code. */
export function pipelineExportFile(name: string, format: PipelineExportFormat): string {
  return format === 'json' ? `${name}.json` : `${name}_${format}.py`;
}

export const exportApi = {
  'export.dataset': method(
    'Write an augmented copy of a dataset (ImageFolder or flat + CSV) with manifests and a dataset card; follow job.progress, cancel with jobs.cancel.',
    exportDatasetInput,
    exportDatasetResult,
  ),
  'export.model': method(
    "Write a finished run's model in the TensorFlow.js layers format with labels.json and a README on loading it.",
    z.object({ runId, out: destination, replace: z.boolean().default(false) }),
    z.object({ out: z.string(), files: z.array(z.string()) }),
  ),
  'export.pipeline': method(
    'Write a pipeline into a folder as JSON and/or Python for Keras, Albumentations or torchvision.',
    z.object({
      pipeline: pipelineSpec,
      out: destination,
      formats: z.array(pipelineExportFormat).min(1).default(['json']),
      /** File name without extension. */
      name: z
        .string()
        .trim()
        .min(1)
        .max(100)
        .regex(/^[\w.-]+$/, 'a file name has letters, digits, _ . -')
        .default('pipeline'),
      /** Image side written into the code for ops that need pixel sizes (crop); default 224. */
      imageSize: z.number().int().min(8).max(4096).optional(),
      replace: z.boolean().default(false),
    }),
    z.object({
      files: z.array(z.string()),
      /** Where generated code differs from the pipeline or has no equivalent, as "target: note". */
      notes: z.array(z.string()),
    }),
  ),
} as const;
