import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../src/core/context.js';
import { compareQueue } from '../../../src/core/compare/queue-for-context.js';
import { comparisonDetail } from '../../../src/core/compare/detail.js';
import { dispatch } from '../../../src/core/transport/dispatch.js';
import type { BackboneInfo } from '../../../src/shared/api/transfer.js';
import type { PresetInfo } from '../../../src/shared/api/compare.js';
import type { RunDetail } from '../../../src/shared/api/train.js';
import { tinyLibrary } from '../compare/helpers.js';

const open: AppContext[] = [];
afterEach(() => {
  for (const c of open.splice(0)) c.close();
});

describe('transfer learning in a comparison', () => {
  it('trains a backbone on a dataset, then compares scratch, features, finetune and LoRA with trainable weights and time per arm', async () => {
    const lib = await tinyLibrary({ classes: 3, perClass: 8 });
    open.push(lib.ctx);
    const ctx = lib.ctx;
    const backbone = (await dispatch(ctx, 'backbones.train', { datasetId: lib.datasetId, name: 'own', size: 16, epochs: 1, filters: [4, 8] })) as BackboneInfo;
    expect(backbone).toMatchObject({ name: 'own', inputSize: 16, preprocessing: 'unit', source: 'trained', format: 'layers-model' });
    expect(backbone.provenance.dataset).toBe('tiny');
    expect(backbone.provenance.classes).toHaveLength(3);
    expect(Object.keys(backbone.provenance.sha256).sort()).toEqual(['model.json', 'weights.bin']);
    const weightsBefore = readFileSync(path.join(backbone.path, 'weights.bin'));
    const listed = (await dispatch(ctx, 'backbones.list', {})) as { backbones: BackboneInfo[] };
    expect(listed.backbones.map((b) => b.name)).toEqual(['own']);

    const presets = (await dispatch(ctx, 'compare.presets', {})) as { presets: PresetInfo[] };
    const preset = presets.presets.find((p) => p.id === 'transfer')!;
    expect(preset).toMatchObject({ needsBackbone: true, armNames: ['scratch', 'features', 'finetune', 'lora'] });
    await expect(dispatch(ctx, 'compare.start', { datasetId: lib.datasetId, preset: 'transfer', epochs: 1, size: 16, repeats: 1 })).rejects.toThrow(/needs a backbone/);
    await expect(dispatch(ctx, 'compare.start', { datasetId: lib.datasetId, preset: 'transfer', backbone: 'nope', epochs: 1, repeats: 1 })).rejects.toThrow(
      /no backbone named "nope"/,
    );

    const { comparisonId } = (await dispatch(ctx, 'compare.start', {
      datasetId: lib.datasetId,
      preset: 'transfer',
      backbone: 'own',
      repeats: 1,
      epochs: 2,
      concurrency: 1,
    })) as { comparisonId: number };
    await compareQueue(ctx).whenSettled(comparisonId);
    const detail = comparisonDetail(ctx.db, comparisonId);
    // Without a size, every arm trains at the backbone's input size.
    expect(detail.config.size).toBe(16);
    expect(detail.runs.map((r) => [r.arm, r.status, r.error])).toEqual([
      ['scratch', 'done', null],
      ['features', 'done', null],
      ['finetune', 'done', null],
      ['lora', 'done', null],
    ]);
    const params = Object.fromEntries(detail.arms.map((a) => [a.name, a.trainableParams]));
    // Features: the head alone (8 → 3 classes); finetune adds the top unfrozen conv layers; LoRA adds rank-4 adapters.
    expect(params.features).toBe(8 * 3 + 3);
    expect(params.finetune).toBeGreaterThan(params.features!);
    expect(params.lora).toBeGreaterThan(params.features!);
    expect(params.scratch).toBe(16 * 3 * 3 * 3 + 16 + 32 * 9 * 16 + 32 + 64 * 9 * 32 + 64 + 64 * 3 + 3);
    for (const a of detail.arms) {
      expect(a.seconds.mean).toBeGreaterThan(0);
      expect(a.valAcc.mean).not.toBeNull();
      expect(a.epochs.mean).toBe(2);
    }
    // The backbone in the cache is never touched by transfer runs.
    expect(readFileSync(path.join(backbone.path, 'weights.bin')).equals(weightsBefore)).toBe(true);
    // Feature extraction cached the plain embeddings of every image for the next run.
    expect(readdirSync(path.join(ctx.paths.root, 'cache', 'embeddings'))).toHaveLength(1);
    const lora = (await dispatch(ctx, 'runs.get', { runId: detail.runs[3]!.runId! })) as RunDetail;
    expect(lora.config.transfer).toMatchObject({ backbone: 'own', mode: 'lora', rank: 4 });
    expect(existsSync(path.join(lora.modelPath!, 'model.json'))).toBe(true);
    expect(JSON.parse(readFileSync(path.join(lora.modelPath!, 'labels.json'), 'utf8')).transfer).toEqual({ backbone: 'own', mode: 'lora' });
  }, 300_000);
});
