import * as tf from '@tensorflow/tfjs';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainConfig, type EvalMetrics, type RunMetrics } from '../../../src/shared/api/train.js';
import { exportModel } from '../../../src/core/export/export-model.js';
import { exportPipeline } from '../../../src/core/export/export-pipeline.js';
import { buildModel } from '../../../src/core/train/models/build-model.js';
import { loadModel, saveModel } from '../../../src/core/train/models/model-files.js';
import { finishRun, insertRun } from '../../../src/core/train/run-store.js';
import { exportSandbox, smallPipeline, type ExportSandbox } from './helpers.js';

let box: ExportSandbox;
const classes = ['cat', 'dog'];
const config = trainConfig.parse({ model: 'mlp', size: 8, units: [4], epochs: 1 });

function evalMetrics(accuracy: number): EvalMetrics {
  return { n: 2, loss: 0.5, accuracy, macroF1: accuracy, macroAuc: null, fmi: accuracy, confusion: [[1, 0], [0, 1]], perClass: [], roc: [] };
}

/** A finished run whose model was saved by the training engine's own save function. */
async function finishedRun(id: string, withLabels: boolean): Promise<{ dir: string; model: tf.LayersModel }> {
  insertRun(box.ctx.db, {
    id,
    datasetId: box.datasetId,
    comparisonId: null,
    arm: null,
    repeat: null,
    config,
    data: { classes: classes.map((name, i) => ({ id: i + 1, name })), split: { mode: 'dataset' }, counts: { train: 2, val: 2, test: 0 }, skipped: 0 },
  });
  const dir = path.join(box.ctx.paths.models, id);
  const model = buildModel(config, classes.length, 3);
  await saveModel(model, dir);
  if (withLabels) writeFileSync(path.join(dir, 'labels.json'), JSON.stringify({ classes, size: 8, channels: 3, scale: '1/255', resize: 'fill' }));
  const metrics: RunMetrics = {
    classes,
    bestEpoch: 1,
    stopReason: 'completed',
    trainAcc: 1,
    trainLoss: 0.1,
    valAcc: 0.75,
    gap: 0.25,
    val: evalMetrics(0.75),
    test: null,
    seconds: 1,
  };
  finishRun(box.ctx.db, id, metrics, dir);
  return { dir, model };
}

describe('export.model and export.pipeline', () => {
  beforeAll(async () => {
    box = await exportSandbox({ 'train/cat': 1, 'train/dog': 1 });
  });
  afterAll(() => box.cleanup());

  it('writes model.json, weights, labels.json and a README, and the copy predicts like the original', async () => {
    const { model } = await finishedRun('run-a', true);
    const out = box.at('model-a');
    const r = await exportModel(box.ctx, { runId: 'run-a', out, replace: false });
    expect(r).toEqual({ out, files: ['model.json', 'weights.bin', 'labels.json', 'README.md'] });
    expect(readdirSync(out).sort()).toEqual(['README.md', 'labels.json', 'model.json', 'weights.bin']);
    expect(JSON.parse(readFileSync(path.join(out, 'model.json'), 'utf8')).format).toBe('layers-model');
    expect(JSON.parse(readFileSync(path.join(out, 'labels.json'), 'utf8'))).toMatchObject({ classes, size: 8 });
    const readme = readFileSync(path.join(out, 'README.md'), 'utf8');
    expect(readme).toContain('tf.loadLayersModel');
    expect(readme).toContain('tensorflowjs_converter --input_format=tfjs_layers_model --output_format=keras');
    expect(readme).toContain('[n, 8, 8, 3]');
    expect(readme).toMatch(/0\. cat\n1\. dog/);

    const loaded = await loadModel(out);
    const x = tf.randomUniform([2, 8, 8, 3], 0, 1, 'float32', 5);
    const a = (model.predict(x) as tf.Tensor).arraySync() as number[][];
    const b = (loaded.predict(x) as tf.Tensor).arraySync() as number[][];
    expect(b).toEqual(a);
  });

  it('rebuilds labels.json from the run when the model folder has none', async () => {
    await finishedRun('run-b', false);
    const out = box.at('model-b');
    await exportModel(box.ctx, { runId: 'run-b', out, replace: false });
    expect(JSON.parse(readFileSync(path.join(out, 'labels.json'), 'utf8'))).toEqual({ classes, size: 8, channels: 3, scale: '1/255', resize: 'fill' });
  });

  it('refuses runs without a model and model folders that are gone', async () => {
    await expect(exportModel(box.ctx, { runId: 'nope', out: box.at('m'), replace: false })).rejects.toMatchObject({ code: 'not_found' });
    const { dir } = await finishedRun('run-c', true);
    rmSync(dir, { recursive: true });
    await expect(exportModel(box.ctx, { runId: 'run-c', out: box.at('m'), replace: false })).rejects.toMatchObject({
      code: 'not_found',
      message: expect.stringMatching(/model files of run "run-c" are gone/),
    });
    expect(existsSync(box.at('m'))).toBe(false);
  });

  it('writes a pipeline as JSON and as code, keeps an existing one unless asked, and never into a library folder', async () => {
    const out = box.at('pipelines');
    const r = await exportPipeline(box.ctx, { pipeline: smallPipeline, out, formats: ['json'], name: 'mine', replace: false });
    expect(r).toEqual({ files: [path.join(out, 'mine.json')], notes: [] });
    expect(JSON.parse(readFileSync(r.files[0]!, 'utf8'))).toEqual(smallPipeline);
    await expect(exportPipeline(box.ctx, { pipeline: smallPipeline, out, formats: ['json'], name: 'mine', replace: false })).rejects.toMatchObject({
      code: 'conflict',
    });
    await expect(exportPipeline(box.ctx, { pipeline: smallPipeline, out: box.root, formats: ['json'], name: 'p', replace: false })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    const code = await exportPipeline(box.ctx, { pipeline: smallPipeline, out, formats: ['keras', 'torchvision', 'albumentations'], name: 'mine', replace: false });
    expect(code.files).toEqual(['keras', 'torchvision', 'albumentations'].map((t) => path.join(out, `mine_${t}.py`)));
    expect(readFileSync(code.files[1]!, 'utf8')).toMatch(/torchvision/);
    expect(readFileSync(code.files[1]!, 'utf8')).toMatch(/RandomResizedCrop/);
    await expect(exportPipeline(box.ctx, { pipeline: { version: 1, ops: [{ op: 'blur' }] }, out, formats: ['json'], name: 'x', replace: false })).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });
});
