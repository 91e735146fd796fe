import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../../../src/core/train/backend/init-backend.js';

describe('Identity on wasm', () => {
  it('clones by reference: same values, independent lifetimes, no extra memory', async () => {
    await initBackend({ prefer: 'wasm' });
    const x = tf.tensor2d([1, -2, 3, 4.5], [2, 2]);
    const bytes = tf.memory().numBytes;
    const y = tf.clone(x);
    expect(tf.memory().numTensors).toBeGreaterThan(0);
    x.dispose();
    expect(Array.from(await y.data())).toEqual([1, -2, 3, 4.5]);
    expect(y.shape).toEqual([2, 2]);
    y.dispose();
    expect(tf.memory().numBytes).toBeLessThan(bytes);
  });

  it('keeps same-dtype casts and string clones working', async () => {
    await initBackend({ prefer: 'wasm' });
    const x = tf.tensor1d([1.5, 2.5]);
    const c = tf.cast(x, 'float32');
    const i = tf.cast(x, 'int32');
    expect(Array.from(await c.data())).toEqual([1.5, 2.5]);
    expect(Array.from(await i.data())).toEqual([1, 2]);
    const s = tf.clone(tf.tensor1d(['a', 'bc'], 'string'));
    expect(await s.data()).toEqual(['a', 'bc']);
    tf.dispose([x, c, i, s]);
  });
});
