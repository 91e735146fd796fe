import { utilityProcess } from 'electron';
import path from 'node:path';
import type { UtilityProcessLike } from '../core/train/worker/utility-launcher.js';

/**
 * Starts one training process as an Electron utility process running the built train-worker.js
 * (beside this bundle), so training never shares the main process's event loop or heap.
 */
export function trainingProcessStarter(bundleDir: string): () => UtilityProcessLike {
  const entry = path.join(bundleDir, 'train-worker.js');
  return () => utilityProcess.fork(entry, [], { stdio: 'pipe', serviceName: 'Smallset training' });
}
