import { conv2dBackpropFilterKernel } from './kernels/conv2d-backprop-filter.js';
import { registerKernels, type KernelList } from './register-kernels.js';

/** Kernels the wasm backend lacks, gets wrong, or runs slowly during training. */
const WASM_KERNELS: KernelList = [conv2dBackpropFilterKernel('wasm')];

export function registerWasmKernels(): void {
  registerKernels('wasm', WASM_KERNELS);
}
