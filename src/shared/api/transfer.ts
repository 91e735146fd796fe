import { z } from 'zod';
import { method } from './define.js';
import { id, jobId, ok } from './common.js';
import { downloadableBackbones } from './names.js';

/** A backbone's name: also its folder in the model cache, so letters, digits, _ . - only. */
export const backboneName = z
  .string()
  .trim()
  .min(1, 'a backbone needs a name')
  .max(80)
  .regex(/^[\w.-]+$/, 'a backbone name has letters, digits, _ . and -')
  .refine((n) => n !== '.' && n !== '..', 'a backbone name cannot be . or ..');

export const transferModes = ['features', 'finetune', 'lora'] as const;
export const transferMode = z.enum(transferModes);
export type TransferMode = z.infer<typeof transferMode>;

/**
 * How a run reuses a backbone.
 * - features: the backbone is frozen; its embeddings are computed once (plus `copies` augmented
 *   copies per training image) and only a new softmax head is trained on them.
 * - finetune: the head is trained first with the backbone frozen (`headEpochs`), then the top
 *   `unfreeze` weighted layers are unfrozen and trained with the head at `fineTuneRate` × the rate.
 * - lora: rank-`rank` adapters on the backbone's last `loraLayers` dense / convolution layers
 *   (B starts at 0, so the adapted backbone starts as the backbone); only adapters and head train.
 */
export const transferConfig = z.object({
  backbone: backboneName,
  mode: transferMode,
  /** features: augmented embedding copies per training image on top of the plain one. */
  copies: z.number().int().min(0).max(20).default(0),
  /** finetune: weighted layers of the backbone, from the top, that are unfrozen after the head phase. */
  unfreeze: z.number().int().min(1).max(200).default(2),
  /** finetune: epochs of the head-only phase; null = a third of the epochs (at least one). */
  headEpochs: z.number().int().min(0).max(1000).nullable().default(null),
  /** finetune: the unfrozen phase's learning rate as a share of the run's rate. */
  fineTuneRate: z.number().gt(0).max(1).default(0.1),
  /** lora: adapter rank r. */
  rank: z.number().int().min(1).max(256).default(4),
  /** lora: the adapter's update is scaled by alpha / r. */
  alpha: z.number().positive().max(1024).default(8),
  /** lora: how many of the backbone's last dense / convolution layers get adapters. */
  loraLayers: z.number().int().min(1).max(50).default(2),
});
export type TransferConfig = z.infer<typeof transferConfig>;
export type TransferConfigInput = z.input<typeof transferConfig>;

/** How pixels in [0, 255] are mapped before the backbone sees them. */
export const backbonePreprocessing = z.enum(['unit', 'symmetric']);
export type BackbonePreprocessing = z.infer<typeof backbonePreprocessing>;

export const backboneSource = z.enum(['download', 'folder', 'trained']);

export const backboneInfo = z.object({
  name: backboneName,
  /** Square input side in pixels; null when the model takes any size. */
  inputSize: z.number().int().positive().nullable(),
  /** unit: x / 255 in [0, 1] (the studio's CNN); symmetric: x / 127.5 − 1 in [−1, 1] (MobileNet). */
  preprocessing: backbonePreprocessing,
  format: z.enum(['layers-model', 'graph-model']),
  /** Layer whose output is the embedding (layers models); null for graph models (their output). */
  featureLayer: z.string().nullable(),
  params: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  source: backboneSource,
  provenance: z.object({
    url: z.string().nullable().default(null),
    folder: z.string().nullable().default(null),
    dataset: z.string().nullable().default(null),
    runId: z.string().nullable().default(null),
    classes: z.array(z.string()).nullable().default(null),
    valAcc: z.number().nullable().default(null),
    /** sha256 of each file as stored in the cache. */
    sha256: z.record(z.string(), z.string()),
  }),
  createdAt: z.string(),
  /** Folder of the backbone in the model cache. */
  path: z.string(),
});
export type BackboneInfo = z.infer<typeof backboneInfo>;

export { downloadableBackbones };
export const downloadableBackbone = z.enum(downloadableBackbones);
export type DownloadableBackbone = z.infer<typeof downloadableBackbone>;

export const transferApi = {
  'backbones.list': method(
    'Backbones in the model cache, with input size, preprocessing and provenance.',
    z.object({}).default({}),
    z.object({ backbones: z.array(backboneInfo) }),
  ),
  'backbones.add': method(
    'Copy a local TensorFlow.js model folder (model.json + weight files) into the model cache as a backbone.',
    z.object({
      folder: z.string().min(1),
      name: backboneName,
      preprocessing: backbonePreprocessing.default('unit'),
      /** Needed only when the model does not fix its input size. */
      inputSize: z.number().int().min(8).max(1024).nullable().default(null),
    }),
    backboneInfo,
  ),
  'backbones.download': method(
    'Download a published backbone (MobileNet V2, TensorFlow.js) once into the model cache, with progress and a size/hash check.',
    z.object({ model: downloadableBackbone, name: backboneName.optional(), jobId: jobId.optional() }),
    backboneInfo,
  ),
  'backbones.train': method(
    "Train the studio's CNN on a labeled dataset and keep it as a backbone for transfer to smaller datasets.",
    z.object({
      datasetId: id,
      name: backboneName,
      size: z.number().int().min(8).max(512).default(32),
      epochs: z.number().int().min(1).max(1000).default(10),
      filters: z.array(z.number().int().min(1).max(1024)).min(1).max(8).optional(),
      seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
      jobId: jobId.optional(),
    }),
    backboneInfo,
  ),
  'backbones.remove': method('Delete a backbone from the model cache.', z.object({ name: backboneName }), ok),
} as const;
