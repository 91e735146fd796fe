import { registerKernels, type KernelList } from './register-kernels.js';

/** Kernels the wasm backend lacks, gets wrong, or runs slowly during training. */
const WASM_KERNELS: KernelList = [];

export function registerWasmKernels(): void {
  registerKernels('wasm', WASM_KERNELS);
}
