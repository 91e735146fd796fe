import { describe, expect, it } from 'vitest';
import { trainConfig } from '../../../src/shared/api/train.js';
import { armSpec, type ComparisonConfig } from '../../../src/shared/api/compare.js';
import { trainConfigFor } from '../../../src/core/compare/run-config.js';

const pipeline = { version: 1 as const, ops: [{ op: 'hflip', p: 0.5 }] };
const config = (arms: ComparisonConfig['arms']): ComparisonConfig => ({
  arms,
  baseline: arms[0]!.name,
  repeats: 2,
  fractions: [0.5],
  epochs: 7,
  size: 24,
  seed: 0,
  concurrency: 1,
});

describe('trainConfigFor', () => {
  it('gives every seed role the repeat seed, the fraction, and the arm pipeline and regularization', () => {
    const arm = armSpec.parse({ name: 'reg', pipeline, l2: 0.001, dropout: 0.5, batchNorm: true, earlyStopping: 4 });
    const t = trainConfig.parse(trainConfigFor(config([arm]), arm, { fraction: 0.5, seed: 99 }));
    expect(t).toMatchObject({ epochs: 7, size: 24, pipeline, l2: 0.001, dropout: 0.5, batchNorm: true, trainFraction: 0.5 });
    expect(t.earlyStopping).toEqual({ patience: 4, monitor: 'valLoss', minDelta: 0, restoreBestWeights: true });
    expect([t.seed, t.splitSeed, t.subsetSeed, t.initSeed, t.dataSeed]).toEqual([99, 99, 99, 99, 99]);
  });

  it('passes model options through and leaves the ones an arm omits to the training defaults', () => {
    const mlp = armSpec.parse({ name: 'mlp', model: 'mlp', units: [64], learningRate: 0.01, mixup: 0.2 });
    const t = trainConfig.parse(trainConfigFor(config([mlp]), mlp, { fraction: 1, seed: 1 }));
    expect(t).toMatchObject({ model: 'mlp', units: [64], learningRate: 0.01, mixup: 0.2 });
    const plain = armSpec.parse({ name: 'raw' });
    const raw = trainConfigFor(config([plain]), plain, { fraction: 1, seed: 1 });
    expect(raw).not.toHaveProperty('model');
    expect(raw).not.toHaveProperty('filters');
    expect(trainConfig.parse(raw).filters).toEqual(trainConfig.parse({}).filters);
  });

  it('rejects model options outside the training ranges, naming the field', () => {
    const r = armSpec.safeParse({ name: 'x', batchSize: 0 });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(['batchSize']);
  });
});
