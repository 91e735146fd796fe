import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const str = (s: string) => ({ s: Buffer.from(s).toString('base64') });
const float = { type: 'DT_FLOAT' };

/**
 * A tiny TensorFlow.js graph model, written by hand in the format tensorflowjs_converter produces
 * for a SavedModel (a GraphDef as JSON + a weights manifest): a 16×16×3 image → 3×3 convolution to
 * `channels` channels with bias → ReLU. Its output is a spatial map, as a MobileNet feature-vector
 * model's last convolution is. Returns the folder and the weights, so a test can recompute it.
 */
export function savedTinyGraphModel(opts: { size?: number; channels?: number } = {}): { dir: string; kernel: Float32Array; bias: Float32Array; channels: number; size: number } {
  const size = opts.size ?? 16;
  const channels = opts.channels ?? 5;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'smallset-graph-backbone-'));
  const kernel = Float32Array.from({ length: 3 * 3 * 3 * channels }, (_, i) => Math.sin(i * 0.7) * 0.5);
  const bias = Float32Array.from({ length: channels }, (_, i) => 0.05 * (i - 2));
  const dims = (...d: number[]) => ({ dim: d.map((n) => ({ size: String(n) })) });
  const modelJson = {
    format: 'graph-model',
    generatedBy: 'smallset test fixture',
    convertedBy: 'hand-written (tensorflowjs_converter format)',
    modelTopology: {
      node: [
        { name: 'image', op: 'Placeholder', attr: { dtype: float, shape: { shape: dims(-1, size, size, 3) } } },
        { name: 'conv/kernel', op: 'Const', attr: { dtype: float, value: { tensor: { dtype: 'DT_FLOAT', tensorShape: dims(3, 3, 3, channels) } } } },
        { name: 'conv/bias', op: 'Const', attr: { dtype: float, value: { tensor: { dtype: 'DT_FLOAT', tensorShape: dims(channels) } } } },
        {
          name: 'conv/Conv2D',
          op: 'Conv2D',
          input: ['image', 'conv/kernel'],
          attr: { T: float, strides: { list: { i: ['1', '1', '1', '1'] } }, padding: str('SAME'), data_format: str('NHWC'), dilations: { list: { i: ['1', '1', '1', '1'] } } },
        },
        { name: 'conv/BiasAdd', op: 'BiasAdd', input: ['conv/Conv2D', 'conv/bias'], attr: { T: float, data_format: str('NHWC') } },
        { name: 'features', op: 'Relu', input: ['conv/BiasAdd'], attr: { T: float } },
      ],
      library: {},
      versions: { producer: 1482 },
    },
    weightsManifest: [
      {
        paths: ['group1-shard1of1.bin'],
        weights: [
          { name: 'conv/kernel', shape: [3, 3, 3, channels], dtype: 'float32' },
          { name: 'conv/bias', shape: [channels], dtype: 'float32' },
        ],
      },
    ],
  };
  writeFileSync(path.join(dir, 'model.json'), JSON.stringify(modelJson));
  writeFileSync(path.join(dir, 'group1-shard1of1.bin'), Buffer.concat([Buffer.from(kernel.buffer), Buffer.from(bias.buffer)]));
  return { dir, kernel, bias, channels, size };
}
