import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildCnn } from '../../../src/core/train/models/cnn.js';
import { saveModel } from '../../../src/core/train/models/model-files.js';

/** A tiny studio CNN (16 px, two conv blocks, 3 classes) saved as a TensorFlow.js layers model folder. */
export async function savedTinyCnn(opts: { batchNorm?: boolean } = {}): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'smallset-backbone-'));
  const model = buildCnn({ kind: 'cnn', size: 16, classes: 3, filters: [4, 6], units: [], dropout: 0, batchNorm: opts.batchNorm ?? false, l1: 0, l2: 0, seed: 5 });
  await saveModel(model, dir);
  model.dispose();
  return dir;
}
