import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { initBackend } from '../../../../src/core/train/backend/init-backend.js';

const saved = { backend: process.env.SMALLSET_TF_BACKEND, threads: process.env.SMALLSET_WASM_THREADS };
afterEach(() => {
  for (const [key, value] of [
    ['SMALLSET_TF_BACKEND', saved.backend],
    ['SMALLSET_WASM_THREADS', saved.threads],
  ] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

describe('initBackend', () => {
  it('picks wasm when tfjs-node is not installed, with our gradient kernels registered', async () => {
    delete process.env.SMALLSET_TF_BACKEND;
    const { name, tf: lib } = await initBackend();
    expect(name).toBe('wasm');
    expect(lib.getBackend()).toBe('wasm');
    expect(lib.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    expect(lib.getKernel('UnsortedSegmentSum', 'wasm')).toBeDefined();
  });

  it('is idempotent and switches when another backend is preferred', async () => {
    delete process.env.SMALLSET_TF_BACKEND;
    const first = await initBackend({ prefer: 'wasm' });
    const again = await initBackend({ prefer: 'wasm' });
    expect(again.name).toBe(first.name);
    expect(again.tf).toBe(first.tf);
    expect((await initBackend({ prefer: 'cpu' })).name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect((await initBackend({ prefer: 'wasm' })).name).toBe('wasm');
  });

  it('falls back along the order when the preferred backend is missing', async () => {
    delete process.env.SMALLSET_TF_BACKEND;
    expect((await initBackend({ prefer: 'tensorflow' })).name).toBe('wasm');
  });

  it('obeys SMALLSET_TF_BACKEND over prefer', async () => {
    process.env.SMALLSET_TF_BACKEND = 'cpu';
    expect((await initBackend({ prefer: 'wasm' })).name).toBe('cpu');
    process.env.SMALLSET_TF_BACKEND = ' WASM ';
    expect((await initBackend({ prefer: 'cpu' })).name).toBe('wasm');
  });

  it('fails clearly when the forced backend is unavailable or unknown', async () => {
    process.env.SMALLSET_TF_BACKEND = 'tensorflow';
    await expect(initBackend()).rejects.toThrow(/SMALLSET_TF_BACKEND=tensorflow.*not available.*tfjs-node/);
    process.env.SMALLSET_TF_BACKEND = 'webgl';
    await expect(initBackend()).rejects.toThrow(/SMALLSET_TF_BACKEND="webgl" is not a backend; use one of tensorflow, wasm, cpu/);
  });

  it('rejects a malformed thread count instead of quietly falling back', async () => {
    delete process.env.SMALLSET_TF_BACKEND;
    process.env.SMALLSET_WASM_THREADS = 'two';
    await expect(initBackend()).rejects.toThrow(/SMALLSET_WASM_THREADS="two" must be a whole number/);
  });
});
