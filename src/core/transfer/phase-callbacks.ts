import type { EpochLog } from '../../shared/api/train.js';
import { CallbackList, type BatchLog, type TrainBegin, type TrainCallback } from '../train/callbacks/callback.js';

/**
 * One phase of a run trained in phases (fine-tuning: head, then unfrozen layers): epochs continue
 * from the previous phase, progress counts against the whole run, and the run begins and ends once.
 */
export function phaseCallbacks(inner: CallbackList, phase: { offset: number; totalEpochs: number; first: boolean; last: boolean }): CallbackList {
  const shift: TrainCallback = {
    onTrainBegin: (info: TrainBegin) => (phase.first ? inner.onTrainBegin({ ...info, epochs: phase.totalEpochs }) : undefined),
    onEpochBegin: (epoch: number) => inner.onEpochBegin(epoch + phase.offset),
    onBatchEnd: (log: BatchLog) => inner.onBatchEnd({ ...log, epoch: log.epoch + phase.offset }),
    onEpochEnd: (log: EpochLog) => inner.onEpochEnd({ ...log, epoch: log.epoch + phase.offset }),
    onTrainEnd: () => (phase.last ? inner.onTrainEnd() : undefined),
  };
  return new CallbackList([shift]);
}
