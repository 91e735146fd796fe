import * as tf from '@tensorflow/tfjs';

export type KernelList = readonly Omit<tf.KernelConfig, 'backendName'>[];

/** The kernels tfjs shipped before we replaced them, keyed "backend/kernel" (fallbacks and test references). */
const stock = new Map<string, tf.KernelConfig>();

/**
 * Registers (or replaces, without tfjs's "already registered" warning) each kernel for one backend.
 * A replacement inherits the stock kernel's setup/dispose hooks so the stock kernel stays callable.
 */
export function registerKernels(backendName: string, kernels: KernelList): void {
  for (const k of kernels) {
    const key = `${backendName}/${k.kernelName}`;
    const current = tf.getKernel(k.kernelName, backendName);
    if (current && !stock.has(key)) stock.set(key, current);
    const original = stock.get(key);
    if (current) tf.unregisterKernel(k.kernelName, backendName);
    tf.registerKernel({
      ...k,
      backendName,
      setupFunc: k.setupFunc ?? original?.setupFunc,
      disposeFunc: k.disposeFunc ?? original?.disposeFunc,
    });
  }
}

/** The kernel tfjs itself registered for this backend, if we replaced it. */
export function stockKernel(kernelName: string, backendName: string): tf.KernelConfig | undefined {
  return stock.get(`${backendName}/${kernelName}`);
}
