import { mkdir } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs';
import type { EpochLog } from '../../../shared/api/train.js';
import type { TrainCallback, TrainControl } from '../callbacks/callback.js';
import type { EarlyStopping } from '../callbacks/early-stopping.js';
import type { MetricsRecorder } from '../callbacks/metrics-recorder.js';
import { SeededDropout } from '../models/seeded-dropout.js';
import type { WorkerJob } from '../worker/protocol.js';
import { configDigest, readCheckpoint, setsDigest, writeCheckpoint, type CheckpointTensor } from './checkpoint-file.js';

export interface ResumableRun {
  job: WorkerJob;
  model: tf.LayersModel;
  early: EarlyStopping | null;
  recorder: MetricsRecorder;
  control: TrainControl;
}

/** Adam keeps β₁ᵗ and β₂ᵗ outside its slots; its setWeights recomputes them with pow(), which is not bit-identical to the running product. */
const OPTIMIZER_SCALARS = ['accBeta1', 'accBeta2'] as const;

function dropoutLayers(model: tf.LayersModel): SeededDropout[] {
  return model.layers.filter((l): l is SeededDropout => l instanceof SeededDropout);
}

function asEntry(group: CheckpointTensor['group'], name: string, t: tf.Tensor): CheckpointTensor {
  const values = t.dataSync();
  return {
    group,
    name,
    shape: [...t.shape],
    dtype: t.dtype === 'int32' ? 'int32' : 'float32',
    values: t.dtype === 'int32' ? Int32Array.from(values) : Float32Array.from(values),
  };
}

const toTensor = (t: CheckpointTensor) => tf.tensor(t.values, t.shape, t.dtype);

/**
 * Saves the whole training state at every epoch end — model weights (trainable or not), the
 * optimizer's slots, step and Adam's β powers, early stopping's figures and kept weights, the
 * dropout mask streams' positions, the epochs so far and a stop already decided — and puts it
 * back into a freshly built model when the run is resumed. Data order, MixUp/CutMix draws and
 * augmentation are seeded per epoch, so nothing else carries over from one epoch to the next and a
 * resumed run trains exactly as the uninterrupted one would have. Put it after early stopping and
 * before the metrics recorder, so an epoch is reported only once it is checkpointed.
 */
export class EpochCheckpoint implements TrainCallback {
  constructor(private readonly run: ResumableRun) {}

  /** Runs before the metrics recorder (which reports the epoch), so `log` is added here. */
  async onEpochEnd(log: EpochLog): Promise<void> {
    await this.save(log);
  }

  async save(log: EpochLog): Promise<void> {
    const epoch = log.epoch;
    const { job, model, early, recorder, control } = this.run;
    const tensors: CheckpointTensor[] = [];
    const weights = model.getWeights();
    weights.forEach((w, i) => tensors.push(asEntry('model', model.weights[i]!.originalName, w)));
    const optimizer = model.optimizer as tf.Optimizer & Partial<Record<(typeof OPTIMIZER_SCALARS)[number], tf.Variable>>;
    for (const named of await optimizer.getWeights()) tensors.push(asEntry('optimizer', named.name, named.tensor));
    for (const name of OPTIMIZER_SCALARS) {
      const v = optimizer[name];
      if (v) tensors.push(asEntry('extra', name, v));
    }
    const kept = early?.snapshot() ?? null;
    kept?.bestWeights?.forEach((w, i) => tensors.push(asEntry('best', String(i), w)));
    await mkdir(job.modelDir, { recursive: true });
    await writeCheckpoint(
      job.modelDir,
      {
        runId: job.runId,
        epoch,
        setsDigest: setsDigest(job.sets),
        configDigest: configDigest(job.config),
        stopReason: control.stopReason,
        epochs: [...recorder.epochs.filter((e) => e.epoch < epoch), log],
        dropoutSteps: Object.fromEntries(dropoutLayers(model).map((l) => [l.name, l.step])),
        early: kept?.state ?? null,
      },
      tensors,
    );
  }

  /**
   * Loads the run's checkpoint, if it has one, into the model, optimizer and callbacks, and returns
   * the epoch to train next (1 without a checkpoint). A checkpoint of other images or settings is refused.
   */
  async restore(): Promise<number> {
    const { job, model, early, recorder, control } = this.run;
    let saved: Awaited<ReturnType<typeof readCheckpoint>>;
    try {
      saved = await readCheckpoint(job.modelDir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 1;
      throw err;
    }
    const { header, tensors } = saved;
    if (header.runId !== job.runId || header.setsDigest !== setsDigest(job.sets) || header.configDigest !== configDigest(job.config)) {
      throw new Error(`The checkpoint in ${job.modelDir} belongs to other images or settings than this run; rerun it instead of resuming.`);
    }
    const group = (g: CheckpointTensor['group']) => tensors.filter((t) => t.group === g);
    const weights = group('model').map(toTensor);
    model.setWeights(weights);
    tf.dispose(weights);

    const optimizer = model.optimizer as tf.Optimizer & Partial<Record<(typeof OPTIMIZER_SCALARS)[number], tf.Variable>>;
    const slots = group('optimizer').map((t) => ({ name: t.name, tensor: toTensor(t) }));
    await optimizer.setWeights(slots);
    tf.dispose(slots.map((s) => s.tensor));
    for (const t of group('extra')) {
      const v = optimizer[t.name as (typeof OPTIMIZER_SCALARS)[number]];
      if (v) tf.tidy(() => v.assign(toTensor(t)));
    }

    for (const layer of dropoutLayers(model)) layer.step = header.dropoutSteps[layer.name] ?? 0;
    if (early && header.early) {
      const best = group('best');
      early.restore(header.early, best.length > 0 ? best.map(toTensor) : null);
    }
    recorder.restore(header.epochs);
    if (header.stopReason) control.stop(header.stopReason);
    return header.epoch + 1;
  }
}
