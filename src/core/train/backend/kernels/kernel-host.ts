import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { stockKernel } from '../register-kernels.js';

/** What our kernels need from a backend, so one JS implementation serves both wasm and cpu. */
export interface KernelHost {
  readonly backendName: 'wasm' | 'cpu';
  /**
   * Allocates an output. On wasm, allocating may grow the heap and detach earlier views, so take all
   * views with `view` only after the last allocation.
   */
  alloc(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  view(t: tf.TensorInfo): tf.TypedArray;
  /** Runs another kernel of the same backend directly (not recorded by the engine). */
  run(kernelName: string, inputs: tf.NamedTensorInfoMap, attrs?: tf.NamedAttrMap): tf.TensorInfo;
  /** Runs the kernel tfjs shipped for this backend, where we replaced it (exact fallbacks). */
  runStock(kernelName: string, inputs: tf.NamedTensorInfoMap, attrs?: tf.NamedAttrMap): tf.TensorInfo;
  /** Frees an intermediate made by `alloc` or `run`. */
  dispose(t: tf.TensorInfo): void;
  /** A second reference to t's memory (tensors are immutable, so sharing is a valid copy). */
  share(t: tf.TensorInfo): tf.TensorInfo;
}

/** The slice of the cpu backend (tfjs-backend-cpu, not a direct dependency) that we use. */
interface CpuBackendLike {
  data: { get(dataId: tf.DataId): { values?: tf.backend_util.BackendValues } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: tf.backend_util.BackendValues): tf.TensorInfo;
  disposeData(dataId: tf.DataId): boolean;
  incRef(dataId: tf.DataId): void;
}

function runOn(backendName: string, backend: object, kernelName: string, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap = {}, stock = false): tf.TensorInfo {
  const kernel = stock ? stockKernel(kernelName, backendName) : tf.getKernel(kernelName, backendName);
  if (!kernel) throw new Error(`Kernel ${kernelName} is not registered for backend ${backendName}${stock ? ' by tfjs' : ''}.`);
  const out = kernel.kernelFunc({ inputs, attrs, backend });
  if (Array.isArray(out)) throw new Error(`Kernel ${kernelName} returned several outputs; one was expected.`);
  return out;
}

function wasmHost(backend: BackendWasm): KernelHost {
  return {
    backendName: 'wasm',
    alloc: (shape, dtype) => backend.makeOutput(shape, dtype),
    view: (t) => backend.typedArrayFromHeap(t),
    run: (name, inputs, attrs) => runOn('wasm', backend, name, inputs, attrs),
    runStock: (name, inputs, attrs) => runOn('wasm', backend, name, inputs, attrs, true),
    dispose: (t) => {
      backend.disposeData(t.dataId);
    },
    share: (t) => {
      backend.incRef(t.dataId);
      return { dataId: t.dataId, shape: t.shape, dtype: t.dtype };
    },
  };
}

function cpuHost(backend: CpuBackendLike): KernelHost {
  return {
    backendName: 'cpu',
    alloc: (shape, dtype) => {
      const values = tf.util.getTypedArrayFromDType(dtype as 'float32', tf.util.sizeFromShape(shape));
      return backend.makeTensorInfo(shape, dtype, values);
    },
    view: (t) => {
      const values = backend.data.get(t.dataId).values;
      if (!values || Array.isArray(values)) throw new Error(`Tensor of dtype ${t.dtype} has no numeric values on cpu.`);
      return values as tf.TypedArray;
    },
    run: (name, inputs, attrs) => runOn('cpu', backend, name, inputs, attrs),
    runStock: (name, inputs, attrs) => runOn('cpu', backend, name, inputs, attrs, true),
    dispose: (t) => {
      backend.disposeData(t.dataId);
    },
    share: (t) => {
      backend.incRef(t.dataId);
      return { dataId: t.dataId, shape: t.shape, dtype: t.dtype };
    },
  };
}

export function hostFor(backendName: 'wasm' | 'cpu', backend: object): KernelHost {
  return backendName === 'wasm' ? wasmHost(backend as BackendWasm) : cpuHost(backend as CpuBackendLike);
}

export type HostKernel = (host: KernelHost, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap) => tf.TensorInfo | tf.TensorInfo[];

/** Wraps a host-level implementation as a tfjs kernel config for one backend. */
export function kernelConfig(kernelName: string, backendName: 'wasm' | 'cpu', impl: HostKernel): Omit<tf.KernelConfig, 'backendName'> {
  return {
    kernelName,
    kernelFunc: ({ inputs, attrs, backend }) => impl(hostFor(backendName, backend), inputs, attrs ?? {}),
  };
}

/** Reads a required input, with a clear message when a caller passes the wrong map. */
export function input(inputs: tf.NamedTensorInfoMap, name: string, kernelName: string): tf.TensorInfo {
  const t = inputs[name];
  if (!t) throw new Error(`${kernelName}: missing input "${name}".`);
  return t;
}
