import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import workerThreads from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';

/**
 * Lets tfjs-backend-wasm 4.22 run its multithreaded binary (XNNPACK on a pthread pool) under Node,
 * which it refuses out of the box for three reasons, each worked around here:
 *  1. flags_wasm.js answers WASM_HAS_MULTITHREAD_SUPPORT = false whenever IS_NODE: we set the flag.
 *  2. It hands Emscripten the pthread worker script as a blob: URL, which Node's worker_threads
 *     rejects (ERR_WORKER_PATH): blob: workers are started from the same source with `eval`, and
 *     the Blob of the main script the pthreads import is replaced by the glue file on disk.
 *  3. The C++ side caps the pool at emscripten_num_logical_cores() / 2 (it assumes two hyperthreads
 *     a core), which is os.cpus().length / 2 in Node: 1 on a 2-vCPU machine. While the module
 *     initializes, os.cpus() reports twice the cores so the cap equals the real core count.
 * Pool workers never keep the process alive. Call before tf.setBackend('wasm'); the returned
 * function undoes step 3 (call it after).
 */
export function prepareWasmThreads(wasmEntry: string, threads: number): () => void {
  const require = createRequire(import.meta.url);
  const outDir = path.join(path.dirname(wasmEntry), '../wasm-out');
  const glue = path.join(outDir, 'tfjs-backend-wasm-threaded-simd.js');
  const { wasmWorkerContents } = require(path.join(outDir, 'tfjs-backend-wasm-threaded-simd.worker.js')) as { wasmWorkerContents: string };
  // Same escaping tfjs applies before wrapping the source in a Blob.
  const source = `${wasmWorkerContents.replace(/\n/g, '\\n')}\n;global.importScripts = () => { (0, eval)(require('fs').readFileSync(${JSON.stringify(glue)}, 'utf8')); };`;

  const NodeWorker = workerThreads.Worker;
  if (!(NodeWorker as { smallsetPatched?: boolean }).smallsetPatched) {
    class BlobAwareWorker extends NodeWorker {
      static smallsetPatched = true;
      private readonly pthread: boolean;
      constructor(filename: string | URL, options?: workerThreads.WorkerOptions) {
        const pthread = String(filename).startsWith('blob:');
        if (pthread) super(source, { ...options, eval: true });
        else super(filename, options);
        this.pthread = pthread;
        if (pthread) this.unref();
      }
      // XNNPACK's pool threads never finish; Emscripten refs a worker while its thread runs, which
      // would keep Node alive forever. The main thread drives all their work, so they stay unref'd.
      override ref(): void {
        if (!this.pthread) super.ref();
      }
    }
    (workerThreads as { Worker: typeof NodeWorker }).Worker = BlobAwareWorker;
  }

  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  const cpus = os.cpus;
  const wanted = Math.max(1, Math.floor(threads));
  (os as { cpus: typeof os.cpus }).cpus = () => {
    const real = cpus();
    return Array.from({ length: 2 * Math.max(wanted, real.length) }, (_, i) => real[i % real.length] as os.CpuInfo);
  };
  return () => {
    (os as { cpus: typeof os.cpus }).cpus = cpus;
  };
}
