import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { EpochLog } from '../../../../src/shared/api/train.js';
import { CallbackList, TrainControl } from '../../../../src/core/train/callbacks/callback.js';
import { DivergenceGuard } from '../../../../src/core/train/callbacks/divergence-guard.js';
import { EarlyStopping } from '../../../../src/core/train/callbacks/early-stopping.js';
import { ProgressEmitter, type RunProgress } from '../../../../src/core/train/callbacks/progress-emitter.js';

const log = (epoch: number, valLoss: number | null, valAcc: number | null = 0.5): EpochLog => ({ epoch, loss: 1, acc: 0.5, valLoss, valAcc, seconds: 1 });

/** A one-weight model stand-in whose weight we set to the epoch number, so restored weights name their epoch. */
function weights() {
  let w: tf.Tensor = tf.scalar(0);
  return {
    holder: { getWeights: () => [w], setWeights: (ws: tf.Tensor[]) => void (w = ws[0]!.clone()) },
    set: (v: number) => void (w = tf.scalar(v)),
    get: () => w.dataSync()[0],
  };
}

describe('EarlyStopping', () => {
  it('stops after `patience` epochs without improvement and restores the best epoch’s weights', async () => {
    const control = new TrainControl();
    const m = weights();
    const es = new EarlyStopping({ monitor: 'valLoss', patience: 2, minDelta: 0, restoreBestWeights: true }, m.holder, control);
    const losses = [1.0, 0.6, 0.7, 0.65];
    for (const [i, v] of losses.entries()) {
      m.set(i + 1);
      es.onEpochEnd(log(i + 1, v));
      if (control.stopReason) break;
    }
    expect(control.stopReason).toBe('early_stopping');
    expect(es.bestEpoch).toBe(2);
    es.onTrainEnd();
    expect(m.get()).toBe(2);
    expect(es.keptEpoch).toBe(2);
  });

  it('watches accuracy upwards, ignores gains below minDelta and never counts a diverged epoch', () => {
    const control = new TrainControl();
    const es = new EarlyStopping({ monitor: 'valAcc', patience: 2, minDelta: 0.05, restoreBestWeights: false }, weights().holder, control);
    es.onEpochEnd(log(1, 1, 0.5));
    es.onEpochEnd(log(2, 1, 0.53)); // +0.03 < minDelta
    expect(control.stopReason).toBeNull();
    es.onEpochEnd(log(3, null, null));
    expect(control.stopReason).toBe('early_stopping');
    expect(es.bestEpoch).toBe(1);
    es.onTrainEnd();
    expect(es.keptEpoch).toBe(3); // no restore asked: the last weights stay
  });

  it('keeps the last weights when the last epoch was the best', () => {
    const control = new TrainControl();
    const m = weights();
    const es = new EarlyStopping({ monitor: 'valLoss', patience: 3, minDelta: 0, restoreBestWeights: true }, m.holder, control);
    [0.9, 0.8, 0.7].forEach((v, i) => {
      m.set(i + 1);
      es.onEpochEnd(log(i + 1, v));
    });
    es.onTrainEnd();
    expect(m.get()).toBe(3);
    expect(es.keptEpoch).toBe(3);
  });
});

describe('DivergenceGuard and CallbackList', () => {
  it('stops on a NaN batch loss, and the first stop reason wins', async () => {
    const control = new TrainControl();
    const list = new CallbackList([new DivergenceGuard(control)]);
    await list.onBatchEnd({ epoch: 1, batch: 1, batches: 2, loss: 0.5, acc: 1, epochLoss: 0.5, epochAcc: 1 });
    expect(control.stopReason).toBeNull();
    await list.onBatchEnd({ epoch: 1, batch: 2, batches: 2, loss: NaN, acc: 0, epochLoss: NaN, epochAcc: 0.5 });
    control.stop('early_stopping');
    expect(control.stopReason).toBe('diverged');
  });
});

describe('ProgressEmitter', () => {
  it('reports batches done of all epochs with an ETA from the mean batch time, throttled but never skipping an epoch’s end', () => {
    let now = 0;
    const sent: RunProgress[] = [];
    const p = new ProgressEmitter((x) => sent.push(x), 250, () => now);
    p.onTrainBegin({ epochs: 2, batchesPerEpoch: 4 });
    const batch = (epoch: number, b: number) => ({ epoch, batch: b, batches: 4, loss: 1, acc: 0.5, epochLoss: 1, epochAcc: 0.5 });
    now = 1000;
    p.onBatchEnd(batch(1, 1));
    now = 1100;
    p.onBatchEnd(batch(1, 2)); // within 250 ms: dropped
    now = 1200;
    p.onBatchEnd(batch(1, 3)); // dropped
    now = 4000;
    p.onBatchEnd(batch(1, 4)); // epoch end: always sent
    expect(sent.map((s) => s.done)).toEqual([1, 4]);
    // 4 batches in 4 s → 1 s each, 4 left → 4 s
    expect(sent[1]!.etaSeconds).toBeCloseTo(4, 9);
    expect(sent[1]!.total).toBe(8);
    expect(sent[0]!.phase).toBe('training');
  });

  it('times a resumed run from the epoch it starts at, not from epoch 1', () => {
    let now = 0;
    const sent: RunProgress[] = [];
    const p = new ProgressEmitter((x) => sent.push(x), 250, () => now);
    p.onTrainBegin({ epochs: 4, batchesPerEpoch: 4, firstEpoch: 3 });
    now = 2000;
    p.onBatchEnd({ epoch: 3, batch: 4, batches: 4, loss: 1, acc: 0.5, epochLoss: 1, epochAcc: 0.5 });
    // 4 batches trained here in 2 s → 0.5 s each; 4 left → 2 s (counting epochs 1–2 as timed would say 0.67 s).
    expect(sent[0]).toMatchObject({ done: 12, total: 16 });
    expect(sent[0]!.etaSeconds).toBeCloseTo(2, 9);
  });
});
