import { mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { savedTinyGraphModel } from '../core/transfer/graph-model-fixture.js';
import { savedTinyCnn } from '../core/transfer/helpers.js';
import { writeTinyImages } from '../core/train/helpers/tiny-dataset.js';
import { cliWorkspace } from './smallset-cli.js';

const { dir, smallset } = cliWorkspace('backbone');

beforeAll(async () => {
  await writeTinyImages(path.join(dir, 'tiny'), { splits: 'folders', perClass: 4 });
  expect((await smallset('import', path.join(dir, 'tiny'), '--name', 'tiny')).code).toBe(0);
}, 180_000);

describe('smallset backbone', () => {
  it('adds a local TensorFlow.js folder, lists it, rejects an unknown download, and removes it', async () => {
    const folder = await savedTinyCnn();
    const added = await smallset('backbone', 'add', folder, '--name', 'tiny-cnn');
    expect(added.code).toBe(0);
    expect(added.json).toMatchObject({ name: 'tiny-cnn', inputSize: 16, preprocessing: 'unit', source: 'folder' });
    const listed = await smallset('backbone', 'list');
    expect((listed.json.backbones as { name: string }[]).map((b) => b.name)).toEqual(['tiny-cnn']);
    const unknown = await smallset('backbone', 'download', 'resnet-9000');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/downloadable: mobilenet-v2/);
    expect((await smallset('backbone', 'remove', 'tiny-cnn')).code).toBe(0);
  }, 180_000);

  it('adds a graph model for feature extraction only, and says what a folder that is no TensorFlow.js model holds', async () => {
    const graph = savedTinyGraphModel();
    const added = await smallset('backbone', 'add', path.join(graph.dir, 'model.json'), '--name', 'graph');
    expect(added.code).toBe(0);
    expect(added.json).toMatchObject({ name: 'graph', format: 'graph-model', inputSize: 16 });
    const refused = await smallset('compare', 'tiny', '--arms', 'transfer', '--backbone', 'graph', '--epochs', '1', '--repeats', '1');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/Arm "finetune": backbone "graph" is a TensorFlow\.js graph model, so it supports feature extraction only/);
    const saved = mkdtempSync(path.join(dir, 'savedmodel-'));
    writeFileSync(path.join(saved, 'saved_model.pb'), 'x');
    const wrong = await smallset('backbone', 'add', saved, '--name', 'sm');
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/saved_model\.pb is a TensorFlow SavedModel, not a TensorFlow\.js model .*tensorflowjs_converter/);
    expect((await smallset('backbone', 'remove', 'graph')).code).toBe(0);
  }, 180_000);

  it('compare --arms transfer needs a backbone that exists', async () => {
    const none = await smallset('compare', 'tiny', '--arms', 'transfer', '--epochs', '1', '--repeats', '1');
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/needs a backbone/);
    const missing = await smallset('compare', 'tiny', '--arms', 'transfer', '--backbone', 'nope', '--epochs', '1', '--repeats', '1');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no backbone named "nope"/);
  }, 180_000);
});
