import { mkdtempSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { addBackboneFolder } from '../../../src/core/transfer/acquire.js';
import { LoraConv2D, LoraDense } from '../../../src/core/transfer/lora.js';
import { applyLayers, buildTrunk, countTrainable, headLayers, loadBackboneModel } from '../../../src/core/transfer/transfer-model.js';
import { trainConfig } from '../../../src/shared/api/train.js';
import { savedTinyCnn } from './helpers.js';

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

function randomImages(n: number, seed: number): tf.Tensor4D {
  return tf.randomUniform([n, 16, 16, 3], 0, 1, 'float32', seed) as tf.Tensor4D;
}

describe('LoRA adapters', () => {
  it('start as the identity (B = 0), train only adapters + head, and leave the backbone weights byte-unchanged', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'smallset-lora-'));
    const info = await addBackboneFolder(root, { folder: await savedTinyCnn(), name: 'tiny', preprocessing: 'unit', inputSize: null });
    expect(info.inputSize).toBe(16);
    const weightsFile = path.join(info.path, 'weights.bin');
    const before = sha(weightsFile);

    const plain = buildTrunk(await loadBackboneModel(info), info, null);
    const base = await loadBackboneModel(info);
    const layerBytes = () => base.layers.map((l) => l.getWeights().map((w) => Buffer.from(w.dataSync().buffer).toString('hex')));
    const original = layerBytes();
    const trunk = buildTrunk(base, info, { rank: 2, alpha: 4, layers: 2, seed: 9 });
    expect(trunk.adapters.map((a) => a.lora.getClassName())).toEqual(['LoraConv2D', 'LoraConv2D']);

    const x = randomImages(6, 1);
    const a = plain.model.predict(x) as tf.Tensor;
    const b = trunk.model.predict(x) as tf.Tensor;
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    for (const { lora } of trunk.adapters) {
      const l = lora as LoraConv2D;
      expect(l.loraB.read().abs().max().dataSync()[0]).toBe(0);
      expect(l.loraA.read().abs().max().dataSync()[0]).toBeGreaterThan(0);
    }

    const config = trainConfig.parse({ learningRate: 0.05 });
    const model = tf.model({ inputs: trunk.input, outputs: applyLayers(headLayers(config, 3, 1), trunk.embedding) });
    model.compile({ optimizer: tf.train.adam(0.05), loss: 'categoricalCrossentropy' });
    // Trainable: A and B of each adapter, and the head; nothing of the backbone.
    const adapterParams = trunk.adapters.reduce((s, { lora }) => s + lora.trainableWeights.reduce((t, w) => t + w.shape.reduce((p: number, d) => p * (d ?? 1), 1), 0), 0);
    expect(countTrainable(model)).toBe(adapterParams + (6 * 3 + 3));
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32'), 3);
    for (let i = 0; i < 3; i++) await model.trainOnBatch(x, y);

    for (const { lora, wrapped } of trunk.adapters) {
      const l = lora as LoraConv2D;
      expect(l.loraB.read().abs().max().dataSync()[0]).toBeGreaterThan(0);
      // The wrapper's frozen kernel equals the wrapped layer's kernel, bit for bit.
      expect(Buffer.from(l.kernel.read().dataSync().buffer).equals(Buffer.from(wrapped.getWeights()[0]!.dataSync().buffer))).toBe(true);
    }
    expect(layerBytes()).toEqual(original);
    expect(sha(weightsFile)).toBe(before);
    const after = trunk.model.predict(x) as tf.Tensor;
    expect(Array.from(after.dataSync())).not.toEqual(Array.from(a.dataSync()));
  });

  it('keeps a frozen batch norm in inference mode: its moving statistics stay while adapters train', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'smallset-lora-bn-'));
    const info = await addBackboneFolder(root, { folder: await savedTinyCnn({ batchNorm: true }), name: 'bn', preprocessing: 'unit', inputSize: null });
    const base = await loadBackboneModel(info);
    const bn = base.layers.filter((l) => l.getClassName() === 'BatchNormalization');
    expect(bn.length).toBe(2);
    const stats = () => bn.map((l) => l.getWeights().map((w) => Array.from(w.dataSync())));
    const before = stats();
    const trunk = buildTrunk(base, info, { rank: 2, alpha: 2, layers: 1, seed: 1 });
    const model = tf.model({ inputs: trunk.input, outputs: applyLayers(headLayers(trainConfig.parse({}), 3, 1), trunk.embedding) });
    model.compile({ optimizer: tf.train.adam(0.05), loss: 'categoricalCrossentropy' });
    const x = randomImages(4, 2);
    await model.trainOnBatch(x, tf.oneHot(tf.tensor1d([0, 1, 2, 0], 'int32'), 3));
    expect(stats()).toEqual(before);
  });

  it('LoraDense is x·W + b + (x·A)·B·(alpha/r)', () => {
    const layer = new LoraDense({ units: 2, rank: 1, alpha: 2, seed: 1, useBias: true, activation: 'linear' });
    const input = tf.input({ shape: [3] });
    const model = tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor });
    layer.kernel.write(tf.tensor2d([[1, 0], [0, 1], [1, 1]]));
    layer.bias!.write(tf.tensor1d([0.5, -0.5]));
    layer.loraA.write(tf.tensor2d([[1], [2], [0]]));
    layer.loraB.write(tf.tensor2d([[0.1, -0.1]]));
    const y = model.predict(tf.tensor2d([[1, 1, 1]])) as tf.Tensor;
    // x·W + b = [2.5, 1.5]; x·A = 3; ·B·2 = [0.6, -0.6].
    const got = Array.from(y.dataSync());
    expect(got[0]).toBeCloseTo(3.1, 5);
    expect(got[1]).toBeCloseTo(0.9, 5);
  });
});
