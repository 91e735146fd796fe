import * as tf from '@tensorflow/tfjs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { modelExportFiles } from '../../../shared/api/model-files.js';
import { SeededDropout } from './seeded-dropout.js';

export const MODEL_JSON = modelExportFiles.model;
export const WEIGHTS_BIN = 'weights.bin';

/**
 * Our dropout layer is Keras' Dropout at inference, so the saved topology names it Dropout and
 * the files load in any TensorFlow.js or Keras without our code.
 */
function portableTopology(topology: unknown): unknown {
  if (Array.isArray(topology)) return topology.map(portableTopology);
  if (topology && typeof topology === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(topology)) out[k] = portableTopology(v);
    if (out.class_name === SeededDropout.className) out.class_name = 'Dropout';
    return out;
  }
  return topology;
}

async function writeAtomically(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, file);
}

/** Saves in the TensorFlow.js layers format: model.json plus one weights.bin. */
export function fileSaveHandler(dir: string): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) throw new Error('Only layers models can be saved here.');
      await mkdir(dir, { recursive: true });
      const weights = tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? []);
      const modelJson: tf.io.ModelJSON = {
        modelTopology: portableTopology(artifacts.modelTopology) as object,
        format: 'layers-model',
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version_layers}`,
        convertedBy: null,
        weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
      };
      await writeAtomically(path.join(dir, WEIGHTS_BIN), new Uint8Array(weights));
      await writeAtomically(path.join(dir, MODEL_JSON), JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
  };
}

/** Loads what fileSaveHandler wrote (or any single-shard layers model). */
export function fileLoadHandler(dir: string): tf.io.IOHandler {
  return {
    async load(): Promise<tf.io.ModelArtifacts> {
      const json = JSON.parse(await readFile(path.join(dir, MODEL_JSON), 'utf8')) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs = manifest.flatMap((group) => group.weights);
        const buffers = await Promise.all(
          manifest.flatMap((group) => group.paths.map((p) => readFile(path.join(dir, p)))),
        );
        const joined = Buffer.concat(buffers);
        return [specs, joined.buffer.slice(joined.byteOffset, joined.byteOffset + joined.byteLength)];
      });
    },
  };
}

export async function saveModel(model: tf.LayersModel, dir: string): Promise<void> {
  await model.save(fileSaveHandler(dir));
}

export async function loadModel(dir: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(fileLoadHandler(dir));
}
