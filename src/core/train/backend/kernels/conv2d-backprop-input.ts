import * as tf from '@tensorflow/tfjs';
import { convInfo } from './conv-info.js';
import { input, kernelConfig, type KernelHost } from './kernel-host.js';

/**
 * dx as a stride-1 forward convolution of dy (zero-upsampled by the stride) with the filter rotated
 * 180° and its channel axes swapped. That runs on the backend's Conv2D (XNNPACK on wasm), about ten
 * times faster than the wasm backend's scalar Conv2DBackpropInput loop.
 */
export function conv2dBackpropInput(host: KernelHost, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap): tf.TensorInfo {
  const name = tf.Conv2DBackpropInput;
  const dy = input(inputs, 'dy', name);
  const filter = input(inputs, 'filter', name);
  const a = attrs as unknown as tf.Conv2DBackpropInputAttrs;
  const info = convInfo(name, a.inputShape, filter.shape, a);
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: CI, outHeight: HO, outWidth: WO, outChannels: CO } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: SH, strideWidth: SW } = info;
  const HD = (HO - 1) * SH + 1;
  const WD = (WO - 1) * SW + 1;
  const pads = {
    top: KH - 1 - info.padInfo.top,
    left: KW - 1 - info.padInfo.left,
    bottom: H - HD + info.padInfo.top,
    right: W - WD + info.padInfo.left,
  };
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1 || Object.values(pads).some((p) => p < 0)) {
    // Padding wider than the filter (or dilation) has no stride-1 equivalent; the stock kernel is exact.
    return host.runStock(name, inputs, attrs);
  }

  const strided = SH > 1 || SW > 1;
  const rotated = host.alloc([KH, KW, CO, CI], 'float32');
  const upsampled = strided ? host.alloc([N, HD, WD, CO], 'float32') : dy;
  const w = host.view(filter);
  const wr = host.view(rotated);
  for (let r = 0; r < KH; r++) {
    for (let c = 0; c < KW; c++) {
      const src = ((KH - 1 - r) * KW + (KW - 1 - c)) * CI * CO;
      const dst = (r * KW + c) * CO * CI;
      for (let ci = 0; ci < CI; ci++) {
        for (let co = 0; co < CO; co++) wr[dst + co * CI + ci] = w[src + ci * CO + co] as number;
      }
    }
  }
  if (strided) {
    const d = host.view(dy);
    const u = host.view(upsampled);
    u.fill(0);
    for (let n = 0; n < N; n++) {
      for (let oh = 0; oh < HO; oh++) {
        for (let ow = 0; ow < WO; ow++) {
          const s = ((n * HO + oh) * WO + ow) * CO;
          u.set(d.subarray(s, s + CO), ((n * HD + oh * SH) * WD + ow * SW) * CO);
        }
      }
    }
  }
  const dx = host.run(
    'Conv2D',
    { x: upsampled, filter: rotated },
    {
      strides: [1, 1],
      dilations: [1, 1],
      pad: [[0, 0], [pads.top, pads.bottom], [pads.left, pads.right], [0, 0]],
      dataFormat: 'NHWC',
    } as unknown as tf.NamedAttrMap,
  );
  host.dispose(rotated);
  if (strided) host.dispose(upsampled);
  return dx;
}

export const conv2dBackpropInputKernel = (backend: 'wasm' | 'cpu') =>
  kernelConfig(tf.Conv2DBackpropInput, backend, conv2dBackpropInput);
