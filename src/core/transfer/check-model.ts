import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../../shared/api/errors.js';
import type { ModelJsonFacts } from './model-json.js';

/**
 * Checks that a TensorFlow.js model folder is whole and loads: its weight files add up to what
 * model.json's manifest describes, and TensorFlow.js can build the model from it (a layers model
 * with a layer it does not know, e.g. a TF-Hub KerasLayer, fails here and not in the first run).
 * A graph model must have one input and one output to serve as a backbone. Messages name the
 * model as `shownAs` (where the user's copy is, not the staging folder).
 */
export async function checkModelFolder(dir: string, facts: ModelJsonFacts, shownAs = path.join(dir, 'model.json')): Promise<void> {
  const file = shownAs;
  let bytes = 0;
  for (const f of facts.weightFiles) bytes += (await stat(path.join(dir, f))).size;
  if (facts.weightBytes !== null && bytes !== facts.weightBytes) {
    throw new ApiError(
      'invalid_input',
      `The weight files named by ${file} (${facts.weightFiles.join(', ')}) hold ${bytes} bytes; its manifest describes ${facts.weightBytes}: the folder is incomplete or its files are from another model.`,
    );
  }
  // Loaded on demand: the main process needs TensorFlow.js only here.
  const tf = await import('@tensorflow/tfjs');
  const { fileLoadHandler, loadModel } = await import('../train/models/model-files.js');
  try {
    if (facts.format === 'layers-model') {
      (await loadModel(dir)).dispose();
      return;
    }
    const graph = await tf.loadGraphModel(fileLoadHandler(dir));
    const [inputs, outputs] = [graph.inputs.length, graph.outputs.length];
    graph.dispose();
    if (inputs !== 1 || outputs !== 1) {
      throw new ApiError('unsupported', `${file} is a graph model with ${inputs} inputs and ${outputs} outputs; a backbone needs one image input and one output.`);
    }
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw new ApiError('invalid_input', `TensorFlow.js cannot load the ${facts.format} in ${file}: ${(err as Error).message}`);
  }
}
