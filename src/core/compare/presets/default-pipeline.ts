import type { ComparePipeline } from '../../../shared/api/compare.js';

/**
 * Used by presets when the user gives no pipeline: mild, label-preserving changes that suit most
 * photos. Flips are left out on purpose: they are wrong for text, digits and anything with a
 * handedness. Reflect fill avoids black corners the classes never show.
 */
export const DEFAULT_PIPELINE: ComparePipeline = {
  version: 1,
  ops: [
    { op: 'rotate', p: 0.5, degrees: [-15, 15], fill: 'reflect' },
    { op: 'translate', p: 0.5, x: [-0.1, 0.1], y: [-0.1, 0.1], fill: 'reflect' },
    { op: 'zoom', p: 0.3, scale: [0.9, 1.1], fill: 'reflect' },
    { op: 'brightness', p: 0.3, factor: [0.8, 1.2] },
    { op: 'contrast', p: 0.3, factor: [0.8, 1.2] },
  ],
};
