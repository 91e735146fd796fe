import type { TrainPipeline } from '../../../shared/api/train.js';
import { parsePipeline } from '../../augment/pipeline.js';

/**
 * Rejects a pipeline the run could not apply (unknown op, bad parameter), before the run is queued.
 * Apart from the training hook (augment-hook.ts), so the process that queues runs does not load tfjs.
 */
export function checkTrainPipeline(pipeline: TrainPipeline | null): void {
  if (pipeline) parsePipeline(pipeline, 'pipeline');
}
