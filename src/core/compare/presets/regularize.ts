import { plainArm, REGULARIZATION, type Preset } from './preset.js';

export const regularize: Preset = {
  id: 'regularize',
  label: '+ regularization',
  description: 'Raw, augmented, and augmented with L2 weight decay, dropout and early stopping.',
  usesPipeline: true,
  minOps: 1,
  fractions: [1],
  build: (pipeline) => ({
    arms: [
      plainArm('raw', null),
      plainArm('augmented', pipeline),
      { ...plainArm('augmented + regularization', pipeline), ...REGULARIZATION },
    ],
    baseline: 'raw',
  }),
};
