import type * as tfType from '@tensorflow/tfjs';
import { ApiError } from '../../shared/api/errors.js';
import type { BackboneInfo } from '../../shared/api/transfer.js';
import { fileLoadHandler } from '../train/models/model-files.js';
import type { Embedder } from './embeddings.js';

export interface GraphEmbedder {
  embed: Embedder;
  dispose(): void;
}

/**
 * A graph-model backbone (a converted SavedModel) as an embedder: images in [0, 1] → its
 * preprocessing → the model's single output; a spatial map is globally average-pooled, any other
 * shape flattened.
 */
export async function loadGraphEmbedder(tf: typeof tfType, info: BackboneInfo): Promise<GraphEmbedder> {
  let graph: tfType.GraphModel;
  try {
    graph = await tf.loadGraphModel(fileLoadHandler(info.path));
  } catch (err) {
    throw new ApiError('io_error', `Cannot load graph-model backbone "${info.name}" from ${info.path}: ${(err as Error).message}`);
  }
  if (graph.inputs.length !== 1 || graph.outputs.length !== 1) {
    graph.dispose();
    throw new ApiError(
      'unsupported',
      `Backbone "${info.name}" is a graph model with ${graph.inputs.length} inputs and ${graph.outputs.length} outputs; feature extraction needs one image input and one output.`,
    );
  }
  const embed: Embedder = (x) =>
    tf.tidy(() => {
      const input = info.preprocessing === 'symmetric' ? tf.sub(tf.mul(x, 2), 1) : x;
      const y = graph.predict(input) as tfType.Tensor;
      if (y.rank === 4) return tf.mean(y, [1, 2]) as tfType.Tensor2D;
      return (y.rank === 2 ? y : tf.reshape(y, [y.shape[0]!, -1])) as tfType.Tensor2D;
    });
  return { embed, dispose: () => graph.dispose() };
}
