import { plainArm, type Preset } from './preset.js';

export const rawVsAug: Preset = {
  id: 'raw-vs-aug',
  label: 'Raw vs augmented',
  description: 'The same model trained on the raw images and on the augmented images.',
  usesPipeline: true,
  minOps: 1,
  fractions: [1],
  build: (pipeline) => ({ arms: [plainArm('raw', null), plainArm('augmented', pipeline)], baseline: 'raw' }),
};
