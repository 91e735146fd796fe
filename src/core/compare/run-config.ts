import type { ArmSpec, ComparisonConfig } from '../../shared/api/compare.js';
import type { TrainConfigInput } from '../../shared/api/train.js';

/**
 * The training configuration of one arm in one repeat. Every seed role (split, subset, initial
 * weights, batch order and augmentation draws) gets the repeat's seed, so all arms of a repeat
 * share them: that is the paired design.
 */
export function trainConfigFor(config: ComparisonConfig, arm: ArmSpec, run: { fraction: number; seed: number }): TrainConfigInput {
  const { name: _name, pipeline: _pipeline, earlyStopping: _es, ...options } = arm;
  // Model options the arm leaves out stay out, so the training defaults apply.
  const model = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  return {
    ...model,
    epochs: config.epochs,
    ...(config.size !== null ? { size: config.size } : {}),
    pipeline: arm.pipeline,
    earlyStopping: arm.earlyStopping === null ? null : { patience: arm.earlyStopping, monitor: 'valLoss', restoreBestWeights: true },
    seed: run.seed,
    splitSeed: run.seed,
    subsetSeed: run.seed,
    initSeed: run.seed,
    dataSeed: run.seed,
    trainFraction: run.fraction,
  };
}
