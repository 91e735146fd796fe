import { batchNormTrainingKernels } from './kernels/batch-norm-training.js';
import { conv2dBackpropFilterKernel } from './kernels/conv2d-backprop-filter.js';
import { conv2dBackpropInputKernel } from './kernels/conv2d-backprop-input.js';
import { conv2dCpuKernels } from './kernels/conv2d-cpu.js';
import { maxPoolGradKernel } from './kernels/max-pool-grad.js';
import { tileKernel } from './kernels/tile.js';
import { registerKernels, type KernelList } from './register-kernels.js';

/** Replacements for the pure-JS cpu backend's slowest training kernels. */
const CPU_KERNELS: KernelList = [
  conv2dBackpropFilterKernel('cpu'),
  // im2col · W with a JS GEMM; the input gradient then runs as a convolution on it
  ...conv2dCpuKernels(),
  conv2dBackpropInputKernel('cpu'),
  maxPoolGradKernel('cpu'),
  tileKernel('cpu'),
  ...batchNormTrainingKernels('cpu'),
];

export function registerCpuKernels(): void {
  registerKernels('cpu', CPU_KERNELS);
}
