import { CallbackList } from '../callbacks/callback.js';
import { EarlyStopping } from '../callbacks/early-stopping.js';
import { EpochCheckpoint } from '../checkpoint/epoch-checkpoint.js';
import { augmentImplFor } from '../data/augment-hook.js';
import { startAugment } from '../data/threaded-augment.js';
import { evaluateSet, trainLoop } from '../loop/train-loop.js';
import { buildModel } from '../models/build-model.js';
import type { WorkerJob } from './protocol.js';
import { finishRun, prepareRun, type RunReporter, type TrainingOutcome } from './run-session.js';
import { runTransfer } from '../../transfer/run-transfer.js';
import { countTrainable } from '../../transfer/transfer-model.js';

export type { RunReporter, TrainingOutcome } from './run-session.js';

/** One whole run inside the worker: decode, train, evaluate, save. */
export async function runTraining(job: WorkerJob, report: RunReporter): Promise<TrainingOutcome> {
  const session = await prepareRun(job, report);
  if (job.config.transfer) return runTransfer(session);
  const { config, sets, classes } = job;
  const { decoded, dataSeed, control, callbacks } = session;

  // The pipeline seed is the run's data seed, so `smallset preview --seed S` shows what `train --seed S` sees.
  const augment = await startAugment(config.pipeline, dataSeed, augmentImplFor(session.backend));
  const model = buildModel(config, classes.length, session.initSeed);
  const early = config.earlyStopping ? new EarlyStopping(config.earlyStopping, model, control) : null;
  if (early) callbacks.push(early);
  // Every epoch end is checkpointed (after early stopping has judged it, before the epoch is
  // reported, so a reported epoch always has its checkpoint); a resumed run continues after it.
  const checkpoint = new EpochCheckpoint({ job, model, early, recorder: session.recorder, control });
  const startEpoch = await checkpoint.restore();
  callbacks.splice(callbacks.indexOf(session.recorder), 1);
  callbacks.push(checkpoint, session.recorder);
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

  return finishRun(session, {
    model,
    predict: async (samples) => (await evaluateSet(model, samples, decoded, config.size, classes.length)).probs,
    trainableParams: countTrainable(model),
    early,
  });
}
