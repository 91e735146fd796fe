import { conv2dBackpropFilterKernel } from './kernels/conv2d-backprop-filter.js';
import { registerKernels, type KernelList } from './register-kernels.js';

/** Replacements for the pure-JS cpu backend's slowest training kernels. */
const CPU_KERNELS: KernelList = [conv2dBackpropFilterKernel('cpu')];

export function registerCpuKernels(): void {
  registerKernels('cpu', CPU_KERNELS);
}
