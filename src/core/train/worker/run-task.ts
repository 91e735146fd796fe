import type { TaskProgress, WorkerTask, WorkerTaskResults } from './protocol.js';

/** One task inside the training process; its modules load only when a task of that kind arrives. */
export async function runTask(task: WorkerTask, progress: (p: TaskProgress) => void): Promise<WorkerTaskResults[WorkerTask['kind']]> {
  switch (task.kind) {
    case 'cross-validation': {
      const { trainFolds } = await import('../../quality/fold-training.js');
      return trainFolds(task.input, progress);
    }
    case 'harm-check': {
      const { measureHarm } = await import('../../quality/harm-measure.js');
      return measureHarm(task.input, progress);
    }
  }
}
