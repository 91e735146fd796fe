import type { ComparePipeline } from '../../../shared/api/compare.js';

/**
 * Used by presets when the user gives no pipeline: mild, label-preserving changes that suit most
 * photos (each op keeps its registry defaults for ranges). Flips are left out on purpose: they are
 * wrong for text, digits and anything with a handedness.
 */
export const DEFAULT_PIPELINE: ComparePipeline = {
  version: 1,
  ops: [
    { op: 'rotate', p: 0.5 },
    { op: 'translate', p: 0.5 },
    { op: 'zoom', p: 0.3 },
    { op: 'brightness', p: 0.3 },
    { op: 'contrast', p: 0.3 },
  ],
};
