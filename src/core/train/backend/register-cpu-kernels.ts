import { batchNormTrainingKernels } from './kernels/batch-norm-training.js';
import { conv2dBackpropFilterKernel } from './kernels/conv2d-backprop-filter.js';
import { maxPoolGradKernel } from './kernels/max-pool-grad.js';
import { tileKernel } from './kernels/tile.js';
import { registerKernels, type KernelList } from './register-kernels.js';

/** Replacements for the pure-JS cpu backend's slowest training kernels. */
const CPU_KERNELS: KernelList = [conv2dBackpropFilterKernel('cpu'), maxPoolGradKernel('cpu'), tileKernel('cpu'), ...batchNormTrainingKernels('cpu')];

export function registerCpuKernels(): void {
  registerKernels('cpu', CPU_KERNELS);
}
