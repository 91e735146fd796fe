import type { TrainBackendName, TrainPipeline } from '../../../shared/api/train.js';
import type { AugmentImplName } from '../../augment/impl-choice.js';
import { createTrainAugmentHook } from '../../augment/train-hook.js';

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
 * augmented pixels of the same size out.
 */
export type AugmentHook = (request: AugmentRequest) => Promise<Uint8Array[]>;

export function hasOps(pipeline: TrainPipeline | null): pipeline is TrainPipeline {
  return pipeline !== null && pipeline.ops.length > 0;
}

/**
 * The augmentation implementation a run uses on a backend: the faster one there, fixed per backend
 * rather than timed per run, so runs with the same seeds see the same pixels (a comparison's arms
 * are paired). On wasm and cpu sharp is 3–80× faster at training sizes (`smallset bench augment`;
 * 32 px standard chain on wasm: sharp 0.46 ms/image, tf 2.0); tf is for tfjs-node's native ops.
 */
export function augmentImplFor(backend: TrainBackendName): AugmentImplName {
  return backend === 'tensorflow' ? 'tf' : 'sharp';
}

/**
 * The augment engine's training hook (createTrainAugmentHook): each sample draws its ops from the
 * engine's RNG for (pipeline seed, image id, copy = epoch) — the stream preview and export use — and
 * comes back at the training size from its last geometric resample. Null when the run trains on raw images.
 */
export function createAugmentHook(pipelineJson: TrainPipeline | null, pipelineSeed: number, impl: AugmentImplName = 'sharp'): AugmentHook | null {
  if (!hasOps(pipelineJson)) return null;
  return createTrainAugmentHook(pipelineJson, pipelineSeed, { impl });
}
