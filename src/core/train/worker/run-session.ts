import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type * as tfType from '@tensorflow/tfjs';
import { modelExportFiles } from '../../../shared/api/model-files.js';
import type { EpochLog, RunMetrics, TrainBackendName } from '../../../shared/api/train.js';
import { initBackend } from '../backend/init-backend.js';
import { TrainControl, type TrainCallback } from '../callbacks/callback.js';
import { DivergenceGuard } from '../callbacks/divergence-guard.js';
import type { EarlyStopping } from '../callbacks/early-stopping.js';
import { MetricsRecorder } from '../callbacks/metrics-recorder.js';
import { ProgressEmitter, type RunProgress } from '../callbacks/progress-emitter.js';
import { decodeAll } from '../data/decode-cache.js';
import type { RunSample } from '../data/samples.js';
import { evaluatePredictions } from '../metrics/evaluate.js';
import { saveModel } from '../models/model-files.js';
import { deriveSeed } from '../seeded-random.js';
import type { WorkerJob } from './protocol.js';

export interface RunReporter {
  started(backend: TrainBackendName): void;
  progress(p: RunProgress): void;
  epoch(log: EpochLog): void;
}

export interface TrainingOutcome {
  metrics: RunMetrics;
  modelPath: string;
}

/** What every run inside the worker starts from: the backend, the decoded images, the seeds and the callbacks. */
export interface RunSession {
  job: WorkerJob;
  report: RunReporter;
  tf: typeof tfType;
  backend: TrainBackendName;
  started: number;
  /** Every image of the run (train, val, test), decoded at the run's size. */
  all: RunSample[];
  decoded: Map<number, Uint8Array>;
  dataSeed: number;
  /** The seed weights are initialised from (already derived for 'init'). */
  initSeed: number;
  control: TrainControl;
  recorder: MetricsRecorder;
  /** Progress, metrics and divergence guard; a run adds its early stopping here. */
  callbacks: TrainCallback[];
  /** A progress event of a phase outside the epoch loop. */
  phase(name: RunProgress['phase'], done: number, total: number): RunProgress;
}

/** Prepares a run: picks the backend, decodes every image (progress at most every 250 ms) and builds the common callbacks. */
export async function prepareRun(job: WorkerJob, report: RunReporter): Promise<RunSession> {
  const started = performance.now();
  const { config, sets } = job;
  const phase = (name: RunProgress['phase'], done: number, total: number): RunProgress => ({
    phase: name,
    epoch: 0,
    epochs: config.epochs,
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
  report.started(backend.name);

  const all = [...sets.train, ...sets.val, ...sets.test];
  let lastReport = 0;
  const decoded = await decodeAll(all, config.size, job.decodedDir, (done, total) => {
    const now = performance.now();
    if (done === total || now - lastReport > 250) {
      lastReport = now;
      report.progress(phase('decoding', done, total));
    }
  });
  const control = new TrainControl();
  const recorder = new MetricsRecorder((log) => report.epoch(log));
  return {
    job,
    report,
    tf: backend.tf,
    backend: backend.name,
    started,
    all,
    decoded,
    dataSeed: config.dataSeed ?? config.seed,
    initSeed: deriveSeed(config.initSeed ?? config.seed, 'init'),
    control,
    recorder,
    callbacks: [new ProgressEmitter((p) => report.progress(p)), recorder, new DivergenceGuard(control)],
    phase,
  };
}

export interface RunResult {
  /** The model saved as the run's model (it is disposed here). */
  model: tfType.LayersModel;
  /** Class probabilities of the final model for some of the run's images. */
  predict(samples: readonly RunSample[]): Promise<number[][]>;
  trainableParams: number;
  early: EarlyStopping | null;
  /** Extra fields of the model's labels.json. */
  labels?: Record<string, unknown>;
}

/** Ends a run: scores validation, test and training images, saves the model with its labels.json, frees the tensors. */
export async function finishRun(session: RunSession, result: RunResult): Promise<TrainingOutcome> {
  const { job, report, phase, control, recorder } = session;
  const { classes, sets, config } = job;
  report.progress(phase('evaluating', 0, 3));
  const score = async (samples: readonly RunSample[]) => evaluatePredictions(await result.predict(samples), samples.map((s) => s.label), classes);
  const val = await score(sets.val);
  report.progress(phase('evaluating', 1, 3));
  const test = sets.test.length > 0 ? await score(sets.test) : null;
  report.progress(phase('evaluating', 2, 3));
  const train = await score(sets.train);
  report.progress(phase('evaluating', 3, 3));

  report.progress(phase('saving', 0, 1));
  await mkdir(job.modelDir, { recursive: true });
  await saveModel(result.model, job.modelDir);
  const labels = { classes, size: config.size, channels: 3, scale: '1/255', resize: 'fill', ...result.labels };
  await writeFile(path.join(job.modelDir, modelExportFiles.labels), JSON.stringify(labels, null, 2));
  report.progress(phase('saving', 1, 1));
  result.model.dispose();
  session.tf.disposeVariables();

  const metrics: RunMetrics = {
    classes,
    bestEpoch: Math.max(1, result.early ? result.early.keptEpoch : recorder.lastEpoch),
    stopReason: control.stopReason ?? 'completed',
    trainAcc: train.accuracy,
    trainLoss: train.loss,
    valAcc: val.accuracy,
    gap: train.accuracy - val.accuracy,
    val,
    test,
    seconds: (performance.now() - session.started) / 1000,
    trainableParams: result.trainableParams,
  };
  return { metrics, modelPath: job.modelDir };
}
