import type { PresetId, PresetInfo } from '../../../shared/api/compare.js';
import { ablation } from './ablation.js';
import { learningCurve } from './learning-curve.js';
import type { Preset } from './preset.js';
import { rawVsAug } from './raw-vs-aug.js';
import { regularize } from './regularize.js';

export const presets: readonly Preset[] = [rawVsAug, regularize, ablation, learningCurve];

export function getPreset(id: PresetId): Preset {
  const p = presets.find((x) => x.id === id);
  if (!p) throw new Error(`no preset ${id}`);
  return p;
}

export function presetInfos(): PresetInfo[] {
  return presets.map(({ id, label, description, usesPipeline, minOps, fractions }) => ({
    id,
    label,
    description,
    usesPipeline,
    minOps,
    fractions: [...fractions],
  }));
}

export { DEFAULT_PIPELINE } from './default-pipeline.js';
export type { Preset } from './preset.js';
