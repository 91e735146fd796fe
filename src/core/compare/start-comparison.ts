import type { CompareStartInput, ComparisonConfig, PresetId } from '../../shared/api/compare.js';
import { compareStartInput } from '../../shared/api/compare.js';
import { ApiError, describeIssues } from '../../shared/api/errors.js';
import type { Db } from '../db/open-db.js';
import { getDataset } from '../library/datasets.js';
import { checkArms, presetArms } from './arms.js';
import { planRuns } from './pairing.js';
import { getPreset } from './presets/index.js';
import { defaultConcurrency } from './queue.js';
import { insertComparison } from './store.js';
import type { BackboneInfo } from '../../shared/api/transfer.js';
import { readBackboneSync } from '../transfer/backbone-store.js';
import { checkTransferMode } from '../transfer/mode-support.js';

export interface CreatedComparison {
  comparisonId: number;
  runs: number;
}

/** Resolves arms, fractions and defaults, then stores the comparison and its planned runs (nothing starts here). */
/**
 * `backbonesDir` (the model cache) lets transfer arms be checked before anything is queued, and gives
 * a comparison without a size its backbone's input size, so scratch and transfer arms see the same pixels.
 */
export function createComparison(db: Db, raw: CompareStartInput, opts: { backbonesDir?: string } = {}): CreatedComparison {
  const parsed = compareStartInput.safeParse(raw);
  if (!parsed.success) throw new ApiError('invalid_input', `compare: ${describeIssues(parsed.error.issues)}`);
  const input = parsed.data;
  const dataset = getDataset(db, input.datasetId);
  const { arms, baseline } = input.preset ? presetArms(input.preset, input.pipeline, { backbone: input.backbone }) : checkArms(input.arms ?? [], input.baseline);
  const preset: PresetId | null = input.preset ?? null;
  const backbones = new Map<string, BackboneInfo>();
  for (const a of opts.backbonesDir ? arms : []) {
    if (!a.transfer) continue;
    const info = backbones.get(a.transfer.backbone) ?? readBackboneSync(opts.backbonesDir!, a.transfer.backbone);
    backbones.set(info.name, info);
    checkTransferMode(info, a.transfer.mode, a.name);
  }
  const backboneSizes = [...backbones.values()].map((b) => b.inputSize);
  const backboneSize = backboneSizes.length > 0 && backboneSizes.every((s) => s !== null && s === backboneSizes[0]) ? backboneSizes[0]! : null;
  const fractions = [...(input.fractions ?? (preset ? getPreset(preset).fractions : [1]))].sort((a, b) => a - b);
  const config: ComparisonConfig = {
    arms,
    baseline: input.preset && input.baseline ? checkArms(arms, input.baseline).baseline : baseline,
    repeats: input.repeats,
    fractions,
    epochs: input.epochs,
    size: input.size ?? backboneSize,
    seed: input.seed,
    concurrency: input.concurrency ?? defaultConcurrency(),
  };
  const name = input.name ?? `${preset ? getPreset(preset).label : arms.map((a) => a.name).join(' vs ')} · ${dataset.name}`;
  const plan = planRuns(arms, config.repeats, fractions, config.seed);
  const comparisonId = insertComparison(db, { datasetId: dataset.id, name, preset, config }, plan);
  return { comparisonId, runs: plan.length };
}
