/** How each arm option reads in the form; options the contract adds later fall back to their key. */
export const armLabels: Record<string, { label: string; hint: string; step?: number; off?: string }> = {
  l2: { label: 'L2 weight decay', hint: 'Penalty on large weights; 0.001 is a common start.', step: 0.0001, off: '0' },
  l1: { label: 'L1 weight decay', hint: 'Pushes weights to exactly zero.', step: 0.0001, off: '0' },
  dropout: { label: 'Dropout', hint: 'Share of units dropped while training (0–0.9).', step: 0.05, off: '0' },
  batchNorm: { label: 'Batch norm', hint: 'Normalizes each conv block’s outputs.' },
  earlyStopping: { label: 'Early stopping', hint: 'Epochs without a better validation loss before stopping; empty trains every epoch.', step: 1, off: 'off' },
  labelSmoothing: { label: 'Label smoothing', hint: 'Softens the one-hot targets (0–0.5).', step: 0.05, off: '0' },
  mixup: { label: 'MixUp α', hint: 'Blends pairs of images and labels; 0.2 is typical, 0 is off.', step: 0.1, off: 'off' },
  cutmix: { label: 'CutMix α', hint: 'Pastes a patch of one image into another; 1 is typical, 0 is off.', step: 0.1, off: 'off' },
  model: { label: 'Model', hint: 'A small CNN, or an MLP on the pixels.' },
  optimizer: { label: 'Optimizer', hint: 'How the weights are updated.' },
  learningRate: { label: 'Learning rate', hint: 'Empty: the optimizer’s usual rate.', step: 0.0001, off: 'auto' },
};

/** Regularization first; model settings under “More”. */
export const regularizationKeys = ['l2', 'dropout', 'batchNorm', 'earlyStopping', 'labelSmoothing', 'mixup', 'cutmix'];
/** Set once for every arm (batch size), or not an option a person sets per arm here. */
export const hiddenKeys = ['batchSize', 'name', 'pipeline', 'filters', 'units'];

export function labelOf(key: string): string {
  return armLabels[key]?.label ?? key.replace(/([A-Z])/g, ' $1').replace(/^./, (c) => c.toUpperCase());
}
