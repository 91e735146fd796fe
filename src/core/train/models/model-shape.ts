import { ApiError } from '../../../shared/api/errors.js';
import type { TrainConfig } from '../../../shared/api/train.js';

/** Each pooling halves the image; the last block needs at least one pixel left. */
export function checkCnnSize(size: number, blocks: number): void {
  const pools = blocks - 1;
  if (size >> pools < 1) {
    throw new ApiError('invalid_input', `size: ${size} px is too small for ${blocks} conv blocks; use at least ${2 ** pools} px or fewer filters.`);
  }
}

/** Rejects settings the model cannot be built with, before a run is queued (without loading TensorFlow.js). */
export function checkModelShape(config: TrainConfig): void {
  if (config.model === 'cnn') checkCnnSize(config.size, config.filters.length);
}
