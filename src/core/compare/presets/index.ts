import type { PresetId, PresetInfo } from '../../../shared/api/compare.js';
import { ablation } from './ablation.js';
import { learningCurve } from './learning-curve.js';
import type { Preset } from './preset.js';
import { rawVsAug } from './raw-vs-aug.js';
import { regularize } from './regularize.js';
import { transfer } from './transfer.js';
import { DEFAULT_PIPELINE } from './default-pipeline.js';

export const presets: readonly Preset[] = [rawVsAug, regularize, ablation, learningCurve, transfer];

export function getPreset(id: PresetId): Preset {
  const p = presets.find((x) => x.id === id);
  if (!p) throw new Error(`no preset ${id}`);
  return p;
}

export function presetInfos(): PresetInfo[] {
  return presets.map((p) => ({
    id: p.id,
    label: p.label,
    description: p.description,
    usesPipeline: p.usesPipeline,
    minOps: p.minOps,
    fractions: [...p.fractions],
    needsBackbone: p.needsBackbone ?? false,
    armNames: p.build(DEFAULT_PIPELINE, { backbone: 'backbone' }).arms.map((a) => a.name),
  }));
}

export { DEFAULT_PIPELINE } from './default-pipeline.js';
export type { Preset, PresetOptions } from './preset.js';
