import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../../shared/api/errors.js';

export interface ModelJsonFacts {
  format: 'layers-model' | 'graph-model';
  weightFiles: string[];
  inputSize: number | null;
  featureLayer: string | null;
  params: number;
  /** What the weight files must add up to, from the manifest (null when it cannot be told). */
  weightBytes: number | null;
}

interface LayerJson {
  class_name: string;
  config: { name?: string; batch_input_shape?: (number | null)[]; batchInputShape?: (number | null)[] };
}

interface GraphNode {
  op?: string;
  attr?: { shape?: { shape?: { dim?: { size?: string | number }[] } } };
}

interface ModelJson {
  format?: string;
  modelTopology?: { model_config?: unknown; class_name?: string; config?: unknown; node?: GraphNode[] };
  weightsManifest?: { paths: string[]; weights: { shape: number[]; dtype?: string; quantization?: { dtype?: string } }[] }[];
}

/** Bytes per value of the weight dtypes TensorFlow.js writes (quantized weights use their storage dtype). */
const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, int8: 1, uint16: 2, int16: 2, float16: 2, complex64: 8 };

/** Layers that only pass the embedding on (or regularize it) between the features and the classifier. */
const PASS_THROUGH = new Set(['Dropout', 'SeededDropout', 'Activation', 'Softmax', 'Reshape', 'Flatten']);

function layersOf(topology: ModelJson['modelTopology']): LayerJson[] {
  const model = (topology?.model_config ?? topology) as { config?: { layers?: LayerJson[] } | LayerJson[] } | undefined;
  const config = model?.config;
  if (Array.isArray(config)) return config;
  return config?.layers ?? [];
}

/**
 * The layer whose output is the embedding: the one before the final Dense classifier (past any
 * dropout), or the last layer of a model without a classifier.
 */
export function featureLayerOf(layers: readonly LayerJson[]): string | null {
  let i = layers.length - 1;
  while (i >= 0 && PASS_THROUGH.has(layers[i]!.class_name)) i--;
  if (i >= 0 && layers[i]!.class_name === 'Dense') {
    i--;
    while (i >= 0 && PASS_THROUGH.has(layers[i]!.class_name)) i--;
  } else {
    i = layers.length - 1;
  }
  return i >= 0 ? (layers[i]!.config.name ?? null) : null;
}

function inputSizeOf(layers: readonly LayerJson[]): number | null {
  const shape = layers.map((l) => l.config.batch_input_shape ?? l.config.batchInputShape).find((s) => Array.isArray(s));
  if (!shape || shape.length !== 4) return null;
  const [, h, w] = shape;
  return typeof h === 'number' && h === w ? h : null;
}

/** A graph model's input size: the single image placeholder's [batch, h, w, c] shape with h = w. */
function graphInputSizeOf(nodes: readonly GraphNode[]): number | null {
  const inputs = nodes.filter((n) => n.op === 'Placeholder');
  if (inputs.length !== 1) return null;
  const dims = inputs[0]!.attr?.shape?.shape?.dim?.map((d) => Number(d.size ?? -1));
  if (!dims || dims.length !== 4) return null;
  const [, h, w] = dims;
  return h !== undefined && h > 0 && h === w ? h : null;
}

/** Bytes the manifest's weights take in their files (null when a dtype is unknown: nothing to check against). */
export function manifestBytes(manifest: NonNullable<ModelJson['weightsManifest']>): number | null {
  let bytes = 0;
  for (const w of manifest.flatMap((g) => g.weights)) {
    const per = DTYPE_BYTES[w.quantization?.dtype ?? w.dtype ?? 'float32'];
    if (per === undefined) return null;
    bytes += w.shape.reduce((a, b) => a * b, 1) * per;
  }
  return bytes;
}

/** Reads model.json of a TensorFlow.js model folder; every complaint names the file. */
export async function inspectModelJson(dir: string): Promise<ModelJsonFacts> {
  const file = path.join(dir, 'model.json');
  let json: ModelJson;
  try {
    json = JSON.parse(await readFile(file, 'utf8')) as ModelJson;
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (err as Error).message;
    throw new ApiError('invalid_input', `${file} cannot be read as a TensorFlow.js model: ${why}.`);
  }
  const format = json.format === 'graph-model' || json.modelTopology?.node ? 'graph-model' : 'layers-model';
  if (!json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new ApiError('invalid_input', `${file} is not a TensorFlow.js model (it needs "modelTopology" and "weightsManifest").`);
  }
  const weightFiles = [...new Set(json.weightsManifest.flatMap((g) => g.paths).map((p) => path.posix.normalize(p)))];
  for (const f of weightFiles) {
    if (f.startsWith('..') || path.posix.isAbsolute(f) || f.includes('/')) {
      throw new ApiError('invalid_input', `${file} names a weight file outside its folder ("${f}").`);
    }
  }
  const params = json.weightsManifest.flatMap((g) => g.weights).reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1), 0);
  const layers = format === 'layers-model' ? layersOf(json.modelTopology) : [];
  if (format === 'layers-model' && layers.length === 0) throw new ApiError('invalid_input', `${file}: the layers model lists no layers.`);
  return {
    format,
    weightFiles,
    inputSize: format === 'layers-model' ? inputSizeOf(layers) : graphInputSizeOf(json.modelTopology.node ?? []),
    weightBytes: manifestBytes(json.weightsManifest),
    featureLayer: format === 'layers-model' ? featureLayerOf(layers) : null,
    params,
  };
}
