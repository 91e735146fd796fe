import type { ArmSpec, ComparePipeline, PresetInfo } from '../../../shared/api/compare.js';

export interface PresetArms {
  arms: ArmSpec[];
  baseline: string;
}

/** What a preset may take besides a pipeline. */
export interface PresetOptions {
  /** The backbone of a transfer preset. */
  backbone?: string | undefined;
}

/** A ready-made comparison: a description for people and the arms it builds from a pipeline. */
export interface Preset extends Omit<PresetInfo, 'needsBackbone' | 'armNames'> {
  needsBackbone?: boolean;
  build(pipeline: ComparePipeline, options: PresetOptions): PresetArms;
}

/** An arm with every regularization option off. */
export function plainArm(name: string, pipeline: ComparePipeline | null): ArmSpec {
  return { name, pipeline, l1: 0, l2: 0, dropout: 0, batchNorm: false, earlyStopping: null };
}

/**
 * The classic combination from the TensorFlow "overfit and underfit" tutorial: L2 0.001 on the
 * weights and dropout 0.5, plus early stopping so a long schedule does not fit noise.
 */
export const REGULARIZATION = { l2: 0.001, dropout: 0.5, earlyStopping: 5 } as const;
