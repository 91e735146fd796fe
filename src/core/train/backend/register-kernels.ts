import * as tf from '@tensorflow/tfjs';

export type KernelList = readonly (Omit<tf.KernelConfig, 'backendName'>)[];

/** Registers (or replaces, without tfjs's "already registered" warning) each kernel for one backend. */
export function registerKernels(backendName: string, kernels: KernelList): void {
  for (const k of kernels) {
    if (tf.getKernel(k.kernelName, backendName)) tf.unregisterKernel(k.kernelName, backendName);
    tf.registerKernel({ ...k, backendName });
  }
}
