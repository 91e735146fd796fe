import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../../shared/api/errors.js';

/** Model files of other frameworks, with what to do about each. */
const OTHER_FORMATS: { test: (name: string) => boolean; what: string; fix: string }[] = [
  {
    test: (n) => n === 'saved_model.pb' || n === 'saved_model.pbtxt',
    what: 'a TensorFlow SavedModel',
    fix: 'convert it first: `tensorflowjs_converter --input_format=tf_saved_model <folder> <out>` (a graph model: feature extraction only), or export the Keras model and convert that for a layers model',
  },
  { test: (n) => /\.(h5|hdf5|keras)$/i.test(n), what: 'a Keras model file', fix: 'convert it first: `tensorflowjs_converter --input_format=keras <file> <out>` (gives a layers model)' },
  { test: (n) => /\.tflite$/i.test(n), what: 'a TensorFlow Lite model', fix: 'use the TensorFlow.js version of the model instead; TFLite files cannot be converted back' },
  { test: (n) => /\.onnx$/i.test(n), what: 'an ONNX model', fix: 'only TensorFlow.js models can be added' },
  { test: (n) => /\.(pt|pth|safetensors|ckpt)$/i.test(n), what: 'a PyTorch checkpoint', fix: 'only TensorFlow.js models can be added' },
];

function otherFormat(names: readonly string[], where: string): ApiError | null {
  for (const f of OTHER_FORMATS) {
    const hit = names.find((n) => f.test(n));
    if (hit) return new ApiError('invalid_input', `${path.join(where, hit)} is ${f.what}, not a TensorFlow.js model (model.json + weight files); ${f.fix}.`);
  }
  return null;
}

/**
 * The TensorFlow.js model folder a user pointed at: the folder itself, the folder of a model.json
 * they picked, or — when the folder holds no model.json — a clear error saying what it holds
 * instead (a SavedModel, a Keras file, …) or which subfolder has one.
 */
export async function resolveModelFolder(given: string): Promise<string> {
  const full = path.resolve(given);
  let info;
  try {
    info = await stat(full);
  } catch {
    throw new ApiError('invalid_input', `${full} does not exist; give the folder that holds the model's model.json.`);
  }
  if (info.isFile()) {
    if (path.basename(full) === 'model.json') return path.dirname(full);
    throw otherFormat([path.basename(full)], path.dirname(full)) ?? new ApiError('invalid_input', `${full} is a file; give the folder that holds the model's model.json.`);
  }
  const entries = await readdir(full, { withFileTypes: true });
  const names = entries.map((e) => e.name);
  if (names.includes('model.json')) return full;
  const sub = [];
  for (const e of entries) {
    if (!e.isDirectory()) continue;
    try {
      if ((await readdir(path.join(full, e.name))).includes('model.json')) sub.push(e.name);
    } catch {
      // An unreadable subfolder is simply not a candidate.
    }
  }
  if (sub.length > 0) {
    throw new ApiError('invalid_input', `${full} has no model.json, but ${sub.map((s) => path.join(full, s)).join(' and ')} ${sub.length === 1 ? 'has one' : 'have one each'}; give that folder.`);
  }
  throw otherFormat(names, full) ?? new ApiError('invalid_input', `${path.join(full, 'model.json')} does not exist: ${full} is not a TensorFlow.js model folder (model.json + weight files).`);
}
