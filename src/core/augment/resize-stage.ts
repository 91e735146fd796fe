import type { GeometryStage, Size } from './op.js';
import { stage } from './ops/geometric.js';

/**
 * A bilinear resize as a geometry stage (pixel centres aligned, like random_resized_crop's map and
 * tf.image.resizeBilinear with half-pixel centres). Appended to a trailing geometric run it brings a
 * pipeline's output back to the training size in the same single resample.
 */
export function resizeStage(from: Size, to: Size): GeometryStage {
  const sx = from.width / to.width;
  const sy = from.height / to.height;
  return stage([sx, 0, 0.5 * sx - 0.5, 0, sy, 0.5 * sy - 0.5, 0, 0, 1], from, to, null);
}
