import type { TrainPipeline } from '../../../shared/api/train.js';
import { applyOps } from '../../augment/apply.js';
import { resizeImage } from '../../augment/image-io.js';
import type { RawImage } from '../../augment/op.js';
import { parsePipeline, type Pipeline } from '../../augment/pipeline.js';
import { sampleRng } from '../../augment/rng.js';
import { sampleOps } from '../../augment/sample.js';

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

/** Rejects a pipeline the run could not apply (unknown op, bad parameter), before the run is queued. */
export function checkTrainPipeline(pipeline: TrainPipeline | null): void {
  if (pipeline) parsePipeline(pipeline, 'pipeline');
}

export function hasOps(pipeline: TrainPipeline | null): pipeline is TrainPipeline {
  return pipeline !== null && pipeline.ops.length > 0;
}

/**
 * Augments a batch. Each sample draws its ops from the augment engine's RNG for (pipeline seed,
 * image id, copy = epoch), the stream `smallset preview --seed` and export use, so a preview
 * shows what training sees.
 */
export function augmentBatch(pipeline: Pipeline, pipelineSeed: number, { samples, size, epoch }: AugmentRequest): Promise<Uint8Array[]> {
  return Promise.all(
    samples.map(async (s) => {
      const image: RawImage = { data: s.pixels, width: size, height: size, channels: 3 };
      const out = await applyOps(image, sampleOps(pipeline, sampleRng(pipelineSeed, s.imageId, epoch), image));
      // Crops and zooms may change the size; the model takes size × size.
      return out.width === size && out.height === size ? out.data : (await resizeImage(out, size, size)).data;
    }),
  );
}

/** The hook on the calling thread; null when the run trains on raw images. */
export function createAugmentHook(pipelineJson: TrainPipeline | null, pipelineSeed: number): AugmentHook | null {
  if (!hasOps(pipelineJson)) return null;
  const pipeline = parsePipeline(pipelineJson, 'pipeline');
  return (request) => augmentBatch(pipeline, pipelineSeed, request);
}
