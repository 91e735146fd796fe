import { plainArm, type Preset } from './preset.js';

export const learningCurve: Preset = {
  id: 'learning-curve',
  label: 'Learning curve',
  description: 'Raw and augmented on 10, 25, 50 and 100% of the training split: does augmentation matter more with less data?',
  usesPipeline: true,
  minOps: 1,
  fractions: [0.1, 0.25, 0.5, 1],
  build: (pipeline) => ({ arms: [plainArm('raw', null), plainArm('augmented', pipeline)], baseline: 'raw' }),
};
