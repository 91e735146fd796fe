import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../src/core/context.js';
import { compareQueue } from '../../../src/core/compare/queue-for-context.js';
import { comparisonDetail } from '../../../src/core/compare/detail.js';
import { addBackboneFolder } from '../../../src/core/transfer/acquire.js';
import { loadGraphEmbedder } from '../../../src/core/transfer/graph-backbone.js';
import { dispatch } from '../../../src/core/transport/dispatch.js';
import type { RunDetail } from '../../../src/shared/api/train.js';
import type { BackboneInfo } from '../../../src/shared/api/transfer.js';
import { tinyLibrary } from '../compare/helpers.js';
import { savedTinyGraphModel } from './graph-model-fixture.js';

const open: AppContext[] = [];
afterEach(() => {
  for (const c of open.splice(0)) c.close();
});

describe('graph-model backbones', () => {
  it('are added with the input size of their placeholder and embed images as the pooled output map', async () => {
    const fixture = savedTinyGraphModel({ channels: 5 });
    const root = mkdtempSync(path.join(os.tmpdir(), 'smallset-backbones-'));
    const info = await addBackboneFolder(root, { folder: fixture.dir, name: 'graph', preprocessing: 'symmetric', inputSize: null });
    expect(info).toMatchObject({ format: 'graph-model', inputSize: 16, featureLayer: null, params: 3 * 3 * 3 * 5 + 5, source: 'folder' });

    const embedder = await loadGraphEmbedder(tf, info);
    const x = tf.randomUniform([2, 16, 16, 3], 0, 1, 'float32', 7) as tf.Tensor4D;
    const got = embedder.embed(x);
    // The same function written with tf ops: [-1, 1] pixels → conv + bias → ReLU → mean over the map.
    const want = tf.mean(tf.relu(tf.add(tf.conv2d(tf.sub(tf.mul(x, 2), 1) as tf.Tensor4D, tf.tensor4d(fixture.kernel, [3, 3, 3, 5]), 1, 'same'), tf.tensor1d(fixture.bias))), [1, 2]);
    expect(got.shape).toEqual([2, 5]);
    expect(tf.max(tf.abs(tf.sub(got, want))).dataSync()[0]).toBeLessThan(1e-5);
    tf.dispose([x, got, want]);
    embedder.dispose();
  });

  it('serve feature-extraction arms in a comparison; fine-tuning and LoRA arms are refused before anything runs', async () => {
    const lib = await tinyLibrary({ classes: 3, perClass: 6 });
    open.push(lib.ctx);
    const ctx = lib.ctx;
    const fixture = savedTinyGraphModel({ channels: 5 });
    const info = (await dispatch(ctx, 'backbones.add', { folder: fixture.dir, name: 'graph', preprocessing: 'unit', inputSize: null })) as BackboneInfo;
    const weights = readFileSync(path.join(info.path, 'group1-shard1of1.bin'));

    for (const mode of ['finetune', 'lora'] as const) {
      await expect(dispatch(ctx, 'compare.start', { datasetId: lib.datasetId, arms: [{ name: mode, transfer: { backbone: 'graph', mode } }], epochs: 1, repeats: 1 })).rejects.toThrow(
        new RegExp(`Arm "${mode}": backbone "graph" is a TensorFlow.js graph model, so it supports feature extraction only`),
      );
    }

    const pipeline = { version: 1, ops: [{ op: 'hflip', p: 1 }] };
    const { comparisonId } = (await dispatch(ctx, 'compare.start', {
      datasetId: lib.datasetId,
      arms: [{ name: 'features', pipeline, transfer: { backbone: 'graph', mode: 'features', copies: 1 } }],
      epochs: 2,
      repeats: 1,
      concurrency: 1,
    })) as { comparisonId: number };
    await compareQueue(ctx).whenSettled(comparisonId);
    const detail = comparisonDetail(ctx.db, comparisonId);
    expect(detail.config.size).toBe(16);
    expect(detail.runs.map((r) => [r.status, r.error])).toEqual([['done', null]]);
    // The head alone trains: 5 pooled channels → 3 classes.
    expect(detail.arms[0]!.trainableParams).toBe(5 * 3 + 3);
    const run = (await dispatch(ctx, 'runs.get', { runId: detail.runs[0]!.runId! })) as RunDetail;
    expect(JSON.parse(readFileSync(path.join(run.modelPath!, 'labels.json'), 'utf8')).transfer).toEqual({ backbone: 'graph', mode: 'features', input: 'embeddings of backbone "graph"' });
    expect(readFileSync(path.join(info.path, 'group1-shard1of1.bin')).equals(weights)).toBe(true);
  }, 300_000);
});
