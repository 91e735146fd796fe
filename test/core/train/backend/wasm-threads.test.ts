import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, wasmThreadCount } from '../../../../src/core/train/backend/init-backend.js';
import { buildReferenceCnn } from '../../../../src/core/train/backend/reference-cnn.js';
import { rand, reference, relativeError, runOn } from './kernel-check.js';

// Each test file runs in its own process, so this opt-in reaches only this file's backend.
beforeAll(() => {
  process.env.SMALLSET_WASM_THREADS = '2';
});

describe('multithreaded wasm backend in Node (SMALLSET_WASM_THREADS=2)', () => {
  it('starts XNNPACK with two threads', async () => {
    const { name } = await initBackend({ prefer: 'wasm' });
    expect(name).toBe('wasm');
    expect(await wasmThreadCount()).toBe(2);
  });

  it('computes convolution gradients like the stock cpu kernels', async () => {
    const x = rand([4, 17, 15, 8], 51);
    const dy = rand([4, 17, 15, 16], 52);
    const filter = rand([3, 3, 8, 16], 53);
    const common = { strides: 1, pad: 'same', dataFormat: 'NHWC' } as const;
    const bf = { ...common, filterShape: [3, 3, 8, 16] } as unknown as tf.NamedAttrMap;
    expect(relativeError((await runOn('wasm', tf.Conv2DBackpropFilter, { x, dy }, bf)).values, (await reference(tf.Conv2DBackpropFilter, { x, dy }, bf)).values)).toBeLessThan(1e-4);
    const bi = { ...common, inputShape: [4, 17, 15, 8] } as unknown as tf.NamedAttrMap;
    expect(relativeError((await runOn('wasm', tf.Conv2DBackpropInput, { dy, filter }, bi)).values, (await reference(tf.Conv2DBackpropInput, { dy, filter }, bi)).values)).toBeLessThan(1e-4);
  });

  it('trains the reference CNN with batch norm (memory grows while threads run)', async () => {
    await initBackend({ prefer: 'wasm' });
    const model = buildReferenceCnn(tf, { size: 32, batchNorm: true });
    const x = tf.tensor4d(rand([16, 32, 32, 3], 54).values, [16, 32, 32, 3]);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0], 'int32'), 5).toFloat();
    const losses: number[] = [];
    for (let i = 0; i < 3; i++) losses.push((await model.trainOnBatch(x, y)) as number);
    expect(losses.every(Number.isFinite)).toBe(true);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('lets a process that used the thread pool exit on its own', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'smallset-threads-'));
    try {
      const initBackendPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../src/core/train/backend/init-backend.ts');
      const script = path.join(dir, 'use-threads.mts');
      writeFileSync(
        script,
        `import { initBackend, wasmThreadCount } from ${JSON.stringify(initBackendPath)};\n` +
          `const { tf } = await initBackend({ prefer: 'wasm' });\n` +
          `const a = tf.randomNormal([128, 128]); tf.matMul(a, a).dataSync();\n` +
          `console.log('threads', await wasmThreadCount());\n`,
      );
      const run = spawnSync(process.execPath, ['--import', 'tsx', script], {
        env: { ...process.env, SMALLSET_WASM_THREADS: '2' },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.error).toBeUndefined();
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('threads 2');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
