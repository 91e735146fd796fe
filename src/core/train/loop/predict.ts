import * as tf from '@tensorflow/tfjs';
import { imageTensor } from '../data/tensors.js';

/** Class probabilities of every image (inference mode: no dropout, batch-norm moving statistics). */
export async function predictProbabilities(model: tf.LayersModel, pixels: readonly Uint8Array[], size: number, batchSize = 64): Promise<number[][]> {
  const rows: number[][] = [];
  for (let i = 0; i < pixels.length; i += batchSize) {
    const x = imageTensor(pixels.slice(i, i + batchSize), size);
    const y = model.predict(x) as tf.Tensor2D;
    rows.push(...((await y.array()) as number[][]));
    x.dispose();
    y.dispose();
    // Lets queued messages (progress, cancel) through between batches.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return rows;
}
