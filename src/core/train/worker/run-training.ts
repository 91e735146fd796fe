import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { EpochLog, RunMetrics, TrainBackendName } from '../../../shared/api/train.js';
import { initBackend } from '../backend/init-backend.js';
import { CallbackList, TrainControl, type TrainCallback } from '../callbacks/callback.js';
import { DivergenceGuard } from '../callbacks/divergence-guard.js';
import { EarlyStopping } from '../callbacks/early-stopping.js';
import { EpochCheckpoint } from '../checkpoint/epoch-checkpoint.js';
import { MetricsRecorder } from '../callbacks/metrics-recorder.js';
import { ProgressEmitter, type RunProgress } from '../callbacks/progress-emitter.js';
import { decodeAll } from '../data/decode-cache.js';
import { augmentImplFor } from '../data/augment-hook.js';
import { startAugment } from '../data/threaded-augment.js';
import { evaluateSet, trainLoop } from '../loop/train-loop.js';
import { evaluatePredictions } from '../metrics/evaluate.js';
import { buildModel } from '../models/build-model.js';
import { saveModel } from '../models/model-files.js';
import { deriveSeed } from '../seeded-random.js';
import type { WorkerJob } from './protocol.js';
import { runTransfer } from '../../transfer/run-transfer.js';
import { countTrainable } from '../../transfer/transfer-model.js';

export interface RunReporter {
  started(backend: TrainBackendName): void;
  progress(p: RunProgress): void;
  epoch(log: EpochLog): void;
}

export interface TrainingOutcome {
  metrics: RunMetrics;
  modelPath: string;
}

/** One whole run inside the worker: decode, train, evaluate, save. */
export async function runTraining(job: WorkerJob, report: RunReporter): Promise<TrainingOutcome> {
  if (job.config.transfer) return runTransfer(job, report);
  const started = performance.now();
  const { config, sets, classes } = job;
  const epochs = config.epochs;
  const phase = (name: RunProgress['phase'], done: number, total: number): RunProgress => ({
    phase: name,
    epoch: 0,
    epochs,
    batch: 0,
    batches: 0,
    done,
    total,
    loss: null,
    acc: null,
    etaSeconds: null,
  });

  report.progress(phase('starting', 0, 1));
  const backend = await initBackend(config.backend ? { prefer: config.backend } : {});
  const tf = backend.tf;
  report.started(backend.name);

  const all = [...sets.train, ...sets.val, ...sets.test];
  let lastDecodeReport = 0;
  const decoded = await decodeAll(all, config.size, job.decodedDir, (done, total) => {
    const now = performance.now();
    if (done === total || now - lastDecodeReport > 250) {
      lastDecodeReport = now;
      report.progress(phase('decoding', done, total));
    }
  });

  const dataSeed = config.dataSeed ?? config.seed;
  const initSeed = config.initSeed ?? config.seed;
  // The pipeline seed is the run's data seed, so `smallset preview --seed S` shows what `train --seed S` sees.
  const augment = await startAugment(config.pipeline, dataSeed, augmentImplFor(backend.name));
  const model = buildModel(config, classes.length, deriveSeed(initSeed, 'init'));
  const control = new TrainControl();
  const recorder = new MetricsRecorder((log) => report.epoch(log));
  const early = config.earlyStopping ? new EarlyStopping(config.earlyStopping, model, control) : null;
  const callbacks: TrainCallback[] = [new ProgressEmitter((p) => report.progress(p)), recorder, new DivergenceGuard(control)];
  if (early) callbacks.push(early);
  // Every epoch end is checkpointed; a resumed run (same id) continues after its last checkpoint.
  const checkpoint = new EpochCheckpoint({ job, model, early, recorder, control });
  const startEpoch = await checkpoint.restore();
  callbacks.push(checkpoint);
  try {
    await trainLoop({
      model,
      config,
      classes: classes.length,
      train: sets.train,
      val: sets.val,
      decoded,
      augment: augment.hook,
      dataSeed,
      callbacks: new CallbackList(callbacks),
      control,
      startEpoch,
    });
  } finally {
    await augment.close();
  }

  report.progress(phase('evaluating', 0, 3));
  const evaluate = async (samples: typeof sets.val) => {
    const { probs } = await evaluateSet(model, samples, decoded, config.size, classes.length);
    return evaluatePredictions(probs, samples.map((s) => s.label), classes);
  };
  const val = await evaluate(sets.val);
  report.progress(phase('evaluating', 1, 3));
  const test = sets.test.length > 0 ? await evaluate(sets.test) : null;
  report.progress(phase('evaluating', 2, 3));
  const train = await evaluate(sets.train);
  report.progress(phase('evaluating', 3, 3));

  const trainableParams = countTrainable(model);
  report.progress(phase('saving', 0, 1));
  await mkdir(job.modelDir, { recursive: true });
  await saveModel(model, job.modelDir);
  const labels = { classes, size: config.size, channels: 3, scale: '1/255', resize: 'fill' };
  await writeFile(path.join(job.modelDir, 'labels.json'), JSON.stringify(labels, null, 2));
  report.progress(phase('saving', 1, 1));
  model.dispose();
  tf.disposeVariables();

  const metrics: RunMetrics = {
    classes,
    bestEpoch: Math.max(1, early ? early.keptEpoch : recorder.lastEpoch),
    stopReason: control.stopReason ?? 'completed',
    trainAcc: train.accuracy,
    trainLoss: train.loss,
    valAcc: val.accuracy,
    gap: train.accuracy - val.accuracy,
    val,
    test,
    seconds: (performance.now() - started) / 1000,
    trainableParams,
  };
  return { metrics, modelPath: job.modelDir };
}
