import type { TrainPipeline } from '../../../shared/api/train.js';
import { ApiError } from '../../../shared/api/errors.js';

/** One training image to augment: its decoded training-size pixels and who it is. */
export interface AugmentSample {
  imageId: number;
  /** size × size interleaved RGB; never modified (it is the cached decode). */
  pixels: Uint8Array;
}

export interface AugmentRequest {
  samples: readonly AugmentSample[];
  size: number;
  /** 0-based: the epoch is the copy index, so every epoch sees a fresh, replayable draw per image. */
  epoch: number;
}

/**
 * The one seam between training and the augment engine: decoded training-size pixels in,
 * augmented pixels of the same size out, seeded by the pipeline seed, image id and epoch.
 */
export type AugmentHook = (request: AugmentRequest) => Promise<Uint8Array[]>;

/** Rejects a pipeline the run could not apply, before the run is queued. */
export function checkTrainPipeline(pipeline: TrainPipeline | null): void {
  createAugmentHook(pipeline, 0);
}

/** The hook for a run's pipeline; null when the run trains on raw images. */
export function createAugmentHook(pipeline: TrainPipeline | null, _seed: number): AugmentHook | null {
  if (!pipeline || pipeline.ops.length === 0) return null;
  throw new ApiError('unsupported', 'pipeline: augmentation during training needs the augment engine, which this build does not have yet.');
}
