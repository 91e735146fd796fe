import { batchNormTrainingKernels } from './kernels/batch-norm-training.js';
import { conv2dBackpropFilterKernel } from './kernels/conv2d-backprop-filter.js';
import { conv2dBackpropInputKernel } from './kernels/conv2d-backprop-input.js';
import { depthwiseConv2dBackpropFilterKernel } from './kernels/depthwise-conv2d-backprop-filter.js';
import { depthwiseConv2dBackpropInputKernel } from './kernels/depthwise-conv2d-backprop-input.js';
import { identityKernel } from './kernels/identity.js';
import { maxPoolGradKernel } from './kernels/max-pool-grad.js';
import { sumKernel } from './kernels/sum.js';
import { tileKernel } from './kernels/tile.js';
import { unsortedSegmentSumKernel } from './kernels/unsorted-segment-sum.js';
import { registerKernels, type KernelList } from './register-kernels.js';

/** Kernels the wasm backend lacks, gets wrong, or runs slowly during training. */
const WASM_KERNELS: KernelList = [
  // missing
  conv2dBackpropFilterKernel('wasm'),
  depthwiseConv2dBackpropFilterKernel('wasm'),
  depthwiseConv2dBackpropInputKernel('wasm'),
  unsortedSegmentSumKernel('wasm'),
  // wrong: the stock kernel misroutes windows whose maximum is ≤ 0
  maxPoolGradKernel('wasm'),
  // slow: scalar loops in the stock kernels
  conv2dBackpropInputKernel('wasm'),
  tileKernel('wasm'),
  sumKernel('wasm'),
  // wasteful: copies where a reference does
  identityKernel('wasm'),
  // fused training batch norm, used by layers/fast-batch-normalization.ts
  ...batchNormTrainingKernels('wasm'),
];

export function registerWasmKernels(): void {
  registerKernels('wasm', WASM_KERNELS);
}
