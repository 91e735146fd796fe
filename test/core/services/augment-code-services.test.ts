import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createContext } from '../../../src/core/context.js';
import { dispatch } from '../../../src/core/transport/dispatch.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'smallset-augment-code-'));
const ctx = createContext(path.join(dir, 'data'));
afterAll(() => {
  ctx.close();
  rmSync(dir, { recursive: true, force: true });
});
const call = (method: string, input: unknown) => dispatch(ctx, method, input);

describe('augment.importKeras and augment.exportCode through dispatch', () => {
  it('imports pasted Keras Python and exports the result as torchvision code', async () => {
    const imported = (await call('augment.importKeras', {
      config: 'ImageDataGenerator(rotation_range=40, horizontal_flip=True, fill_mode="constant", cval=255)',
    })) as { pipeline: { ops: { op: string }[] }; warnings: unknown[] };
    expect(imported.pipeline.ops.map((o) => o.op)).toEqual(['rotate', 'hflip']);
    const exported = (await call('augment.exportCode', { pipeline: imported.pipeline, target: 'torchvision' })) as { code: string; notes: string[] };
    expect(exported.code).toContain('v2.RandomRotation(degrees=(-40.0, 40.0), interpolation=v2.InterpolationMode.BILINEAR, fill=(255, 255, 255))');
    expect(exported.code).toContain('v2.RandomHorizontalFlip(p=0.5)');
  });

  it('answers bad input with clear errors naming the field or key', async () => {
    await expect(call('augment.importKeras', { config: { rotation_rang: 5 } })).rejects.toThrow(/unknown key "rotation_rang"/);
    await expect(call('augment.exportCode', { pipeline: { version: 1, ops: [] }, target: 'caffe' })).rejects.toThrow(/target/);
    await expect(call('augment.exportCode', { pipeline: { version: 1, ops: [{ op: 'rotat' }] }, target: 'keras' })).rejects.toThrow(/did you mean "rotate"/);
  });
});
