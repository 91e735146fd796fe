import { conv2dBackpropFilterKernel } from './kernels/conv2d-backprop-filter.js';
import { conv2dBackpropInputKernel } from './kernels/conv2d-backprop-input.js';
import { maxPoolGradKernel } from './kernels/max-pool-grad.js';
import { tileKernel } from './kernels/tile.js';
import { registerKernels, type KernelList } from './register-kernels.js';

/** Kernels the wasm backend lacks, gets wrong, or runs slowly during training. */
const WASM_KERNELS: KernelList = [conv2dBackpropFilterKernel('wasm'), maxPoolGradKernel('wasm'), tileKernel('wasm'), conv2dBackpropInputKernel('wasm')];

export function registerWasmKernels(): void {
  registerKernels('wasm', WASM_KERNELS);
}
