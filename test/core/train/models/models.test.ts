import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { trainConfig } from '../../../../src/shared/api/train.js';
import { buildModel } from '../../../../src/core/train/models/build-model.js';
import { checkModelShape } from '../../../../src/core/train/models/model-shape.js';
import { createOptimizer } from '../../../../src/core/train/models/optimizer.js';
import { loadModel, saveModel } from '../../../../src/core/train/models/model-files.js';
import { SeededDropout } from '../../../../src/core/train/models/seeded-dropout.js';
import { FastBatchNormalization } from '../../../../src/core/train/backend/layers/fast-batch-normalization.js';
import { execFileSync } from 'node:child_process';

const config = (over: object) => trainConfig.parse({ size: 8, filters: [4, 8], ...over });

describe('model builders', () => {
  it('builds the reference CNN shape: conv blocks, pooling between, GAP, dropout, softmax', () => {
    const m = buildModel(trainConfig.parse({ size: 32, dropout: 0.3 }), 5, 1);
    const names = m.layers.map((l) => l.getClassName());
    expect(names).toEqual(['Conv2D', 'MaxPooling2D', 'Conv2D', 'MaxPooling2D', 'Conv2D', 'GlobalAveragePooling2D', 'SeededDropout', 'Dense']);
    expect(m.outputs[0]!.shape).toEqual([null, 5]);
  });

  it('adds batch norm without conv biases, and an MLP baseline', () => {
    const bn = buildModel(config({ batchNorm: true }), 3, 1);
    expect(bn.layers.map((l) => l.getClassName())).toContain('BatchNormalization');
    // Our layer, so training takes the fused batch-norm gradient on wasm and cpu.
    expect(bn.layers.filter((l) => l instanceof FastBatchNormalization)).toHaveLength(2);
    const mlpBn = buildModel(config({ model: 'mlp', units: [16, 8], batchNorm: true }), 3, 1);
    expect(mlpBn.layers.filter((l) => l instanceof FastBatchNormalization)).toHaveLength(2);
    expect(bn.layers[0]!.getWeights()).toHaveLength(1);
    const mlp = buildModel(config({ model: 'mlp', units: [16], dropout: 0.1 }), 3, 1);
    expect(mlp.layers.map((l) => l.getClassName())).toEqual(['Flatten', 'Dense', 'SeededDropout', 'Dense']);
  });

  it('gives the same initial weights for the same seed and different ones for another', () => {
    const w = (seed: number) => Array.from(buildModel(config({}), 3, seed).getWeights()[0]!.dataSync());
    expect(w(5)).toEqual(w(5));
    expect(w(5)).not.toEqual(w(6));
  });

  it('adds the L1/L2 penalty to the training loss', async () => {
    const x = tf.ones([2, 8, 8, 3]);
    const y = tf.tensor2d([
      [1, 0],
      [0, 1],
    ]);
    const plain = buildModel(config({ optimizer: 'sgd', learningRate: 1e-9 }), 2, 3);
    const penalised = buildModel(config({ optimizer: 'sgd', learningRate: 1e-9, l2: 0.5 }), 2, 3);
    const a = (await plain.trainOnBatch(x, y)) as number[];
    const b = (await penalised.trainOnBatch(x, y)) as number[];
    expect(b[0]!).toBeGreaterThan(a[0]! + 0.01);
  });

  it('builds each optimizer with its usual learning rate unless one is given, and each one lowers the loss', async () => {
    const lr = (o: tf.Optimizer) => (o.getConfig() as { learningRate: number }).learningRate;
    const adam = createOptimizer('adam', null, 0.9);
    const sgd = createOptimizer('sgd', null, 0);
    const momentum = createOptimizer('sgd', 0.05, 0.9);
    const rmsprop = createOptimizer('rmsprop', 0.002, 0.9);
    expect([adam.getClassName(), lr(adam)]).toEqual(['Adam', 1e-3]);
    expect([sgd.getClassName(), lr(sgd)]).toEqual(['SGD', 1e-2]);
    expect([momentum.getClassName(), lr(momentum), (momentum.getConfig() as { momentum: number }).momentum]).toEqual(['Momentum', 0.05, 0.9]);
    expect([rmsprop.getClassName(), lr(rmsprop)]).toEqual(['RMSProp', 0.002]);
    const x = tf.randomUniform([4, 8, 8, 3], 0, 1, 'float32', 1);
    const y = tf.oneHot(tf.tensor1d([0, 1, 0, 1], 'int32'), 2);
    for (const optimizer of ['adam', 'sgd', 'rmsprop'] as const) {
      const m = buildModel(config({ model: 'mlp', units: [8], optimizer, learningRate: 0.01 }), 2, 2);
      const losses: number[] = [];
      for (let i = 0; i < 5; i++) losses.push(((await m.trainOnBatch(x, y)) as number[])[0]!);
      expect(losses[4]!, optimizer).toBeLessThan(losses[0]!);
    }
  });

  it('rejects an image too small for the pooling', () => {
    expect(() => checkModelShape(trainConfig.parse({ size: 8, filters: [8, 8, 8, 8, 8] }))).toThrow(/too small/);
  });
});

describe('SeededDropout', () => {
  it('draws a different mask at each training call, the same sequence for the same seed, and is identity at inference', () => {
    const run = () => {
      const layer = new SeededDropout({ rate: 0.5, seed: 11 });
      const x = tf.ones([1, 64]);
      return [0, 1].map(() => Array.from((layer.apply(x, { training: true }) as tf.Tensor).dataSync()));
    };
    const [first, second] = run();
    expect(first).not.toEqual(second);
    expect(run()).toEqual([first, second]);
    const layer = new SeededDropout({ rate: 0.5, seed: 11 });
    expect(Array.from((layer.apply(tf.ones([1, 4]), { training: false }) as tf.Tensor).dataSync())).toEqual([1, 1, 1, 1]);
  });
});

describe('model files', () => {
  it('saves model.json + weights.bin that load back with the same predictions, naming dropout plain Dropout', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'smallset-model-'));
    const model = buildModel(config({ dropout: 0.2, batchNorm: true }), 3, 4);
    await saveModel(model, dir);
    const json = readFileSync(path.join(dir, 'model.json'), 'utf8');
    expect(json).toContain('"class_name":"Dropout"');
    expect(json).not.toContain('"class_name":"SeededDropout"');
    expect(JSON.parse(json).weightsManifest[0].paths).toEqual(['./weights.bin']);
    expect(json).toContain('"class_name":"BatchNormalization"');
    const loaded = await loadModel(dir);
    expect(loaded.layers.some((l) => l instanceof FastBatchNormalization)).toBe(false);
    const x = tf.randomUniform([2, 8, 8, 3], 0, 1, 'float32', 3);
    const ours = Array.from((model.predict(x) as tf.Tensor).dataSync());
    expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(ours);

    // Stock TensorFlow.js alone, in a fresh process with none of our code, loads and runs the files.
    const script = `
      import * as tf from '@tensorflow/tfjs';
      import { readFileSync } from 'node:fs';
      import path from 'node:path';
      const dir = process.argv[1];
      const json = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8'));
      const bin = readFileSync(path.join(dir, 'weights.bin'));
      const model = await tf.loadLayersModel(tf.io.fromMemory({
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest[0].weights,
        weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
      }));
      const x = tf.tensor4d(JSON.parse(process.argv[2]), [2, 8, 8, 3]);
      process.stdout.write(JSON.stringify({ layers: model.layers.map((l) => l.getClassName()), y: Array.from(model.predict(x).dataSync()) }));
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script, dir, JSON.stringify(Array.from(x.dataSync()))], {
      cwd: path.resolve(import.meta.dirname, '../../../..'),
      encoding: 'utf8',
    });
    const stock = JSON.parse(out) as { layers: string[]; y: number[] };
    expect(stock.layers).toEqual(['Conv2D', 'BatchNormalization', 'ReLU', 'MaxPooling2D', 'Conv2D', 'BatchNormalization', 'ReLU', 'GlobalAveragePooling2D', 'Dropout', 'Dense']);
    stock.y.forEach((v, i) => expect(v).toBeCloseTo(ours[i]!, 5));
  });
});
