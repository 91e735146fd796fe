import type { RunRecord } from '../train/run-store.js';
import { APP_VERSION } from '../version.js';

/** What labels.json holds: class names in output order and how inputs were prepared in training. */
export interface ModelLabels {
  classes: string[];
  size: number;
  channels?: number;
  scale?: string;
  resize?: string;
}

function percent(x: number | null | undefined): string {
  return x === null || x === undefined ? 'n/a' : `${(x * 100).toFixed(1)}%`;
}

/** README.md of an exported model: what goes in, what comes out, and how to load it in TF.js and Python. */
export function modelReadme(run: RunRecord, labels: ModelLabels): string {
  const s = labels.size;
  const classes = labels.classes.map((c, i) => `${i}. ${c}`).join('\n');
  const divide = labels.scale === '1/255' || labels.scale === undefined;
  const cfg = run.config;
  return `# Image classifier from Smallset Studio

Run \`${run.id}\`, exported by Smallset Studio ${APP_VERSION}. A ${cfg.model.toUpperCase()} trained for
${run.epochs.length} epoch(s) on dataset ${run.datasetId}; validation accuracy ${percent(run.metrics?.valAcc ?? run.valAcc)}${
    run.metrics?.test ? `, test accuracy ${percent(run.metrics.test.accuracy)}` : ''
  }.

## Files

- \`model.json\` + weight files: the model in the TensorFlow.js layers format.
- \`labels.json\`: class names in the order of the model's outputs, and the input preparation.

## Input and output

- Input: a batch of RGB images, shape \`[n, ${s}, ${s}, ${labels.channels ?? 3}]\`, float32, each image resized to
  ${s} × ${s} (${labels.resize === 'fill' || labels.resize === undefined ? 'stretched, not cropped' : labels.resize})${divide ? ' and divided by 255 (values 0–1)' : ''}.
- Output: one probability per class (softmax), in this order:

${classes}

## TensorFlow.js

\`\`\`js
import * as tf from '@tensorflow/tfjs';

// In a browser, serve this folder and load it by URL; in Node with @tensorflow/tfjs-node use 'file://path/to/model.json'.
const model = await tf.loadLayersModel('model.json');
const labels = await (await fetch('labels.json')).json();

const probs = tf.tidy(() => {
  const x = tf.browser.fromPixels(imageElement).resizeBilinear([${s}, ${s}]).toFloat()${divide ? '.div(255)' : ''}.expandDims(0);
  return model.predict(x).dataSync();
});
const best = probs.indexOf(Math.max(...probs));
console.log(labels.classes[best], probs[best]);
\`\`\`

## Python (Keras)

Convert with the \`tensorflowjs\` package (\`pip install tensorflowjs\`):

\`\`\`sh
tensorflowjs_converter --input_format=tfjs_layers_model --output_format=keras model.json model.h5
\`\`\`

\`\`\`python
import json, numpy as np, tensorflow as tf
from PIL import Image

model = tf.keras.models.load_model('model.h5')
labels = json.load(open('labels.json'))['classes']
x = np.asarray(Image.open('photo.jpg').convert('RGB').resize((${s}, ${s})), dtype=np.float32)${divide ? ' / 255.0' : ''}
probs = model.predict(x[None])[0]
print(labels[int(probs.argmax())], float(probs.max()))
\`\`\`

\`tensorflowjs.converters.load_keras_model('model.json')\` also loads it directly in Python.
`;
}
