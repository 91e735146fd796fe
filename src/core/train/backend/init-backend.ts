import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { registerCpuKernels } from './register-cpu-kernels.js';
import { registerWasmKernels } from './register-wasm-kernels.js';
import { prepareWasmThreads } from './wasm-threads.js';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export type Tf = typeof import('@tensorflow/tfjs');

export interface ActiveBackend {
  name: BackendName;
  tf: Tf;
}

export interface InitBackendOptions {
  /** Tried first; falls back along the default order when unavailable. SMALLSET_TF_BACKEND overrides it. */
  prefer?: BackendName;
}

const ORDER: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];
const ENV_VAR = 'SMALLSET_TF_BACKEND';
/** Opt-in: run the wasm backend's XNNPACK kernels on this many threads (see wasm-threads.ts). */
const THREADS_VAR = 'SMALLSET_WASM_THREADS';

/** One setup promise per backend: loading and kernel registration happen once per process. */
const setups = new Map<BackendName, Promise<boolean>>();

function isBackendName(v: string): v is BackendName {
  return (ORDER as readonly string[]).includes(v);
}

async function setUpTensorflow(): Promise<boolean> {
  // The specifier is a variable so TypeScript does not require the optional package to exist.
  const specifier = '@tensorflow/tfjs-node';
  try {
    await import(specifier);
  } catch {
    return false;
  }
  return tf.findBackend('tensorflow') !== null;
}

async function setUpWasm(): Promise<boolean> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // The package's Node entry lives in its dist folder, next to the .wasm binaries.
  const entry = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(`${dirname(entry)}/`);
  registerWasmKernels();
  const threads = wasmThreadsRequested();
  if (threads <= 1) return true;
  // Single-threaded unless asked: the machine is shared with augmentation and the app itself.
  wasm.setThreadsCount(threads);
  const restore = prepareWasmThreads(entry, threads);
  try {
    return await tf.setBackend('wasm');
  } finally {
    restore();
  }
}

function wasmThreadsRequested(): number {
  const raw = process.env[THREADS_VAR]?.trim();
  if (!raw) return 1;
  if (raw === 'auto') return availableParallelism();
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${THREADS_VAR}="${raw}" must be a whole number ≥ 1 or "auto".`);
  return n;
}

/** Threads the wasm backend's XNNPACK pool really runs (1 unless SMALLSET_WASM_THREADS took effect). */
export async function wasmThreadCount(): Promise<number> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  try {
    return wasm.getThreadsCount();
  } catch {
    return 1;
  }
}

async function setUpCpu(): Promise<boolean> {
  registerCpuKernels();
  // The cpu backend prints an "install tfjs-node" banner on first use; the choice here is deliberate.
  const cpu = tf.findBackend('cpu') as { firstUse?: boolean } | null;
  if (cpu && 'firstUse' in cpu) cpu.firstUse = false;
  return true;
}

function setUp(name: BackendName): Promise<boolean> {
  let p = setups.get(name);
  if (!p) {
    p = name === 'tensorflow' ? setUpTensorflow() : name === 'wasm' ? setUpWasm() : setUpCpu();
    setups.set(name, p);
  }
  return p;
}

/** Activates a backend; false (with the reason) when it cannot load here. */
async function activate(name: BackendName): Promise<{ ok: boolean; reason?: string }> {
  try {
    if (!(await setUp(name))) return { ok: false };
    if (tf.getBackend() === name) return { ok: true };
    return { ok: await tf.setBackend(name) };
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * Picks and activates the TensorFlow.js backend: tfjs-node when installed, else WASM (with our gradient
 * kernels), else the pure-JS cpu backend (with our faster Conv2DBackpropFilter). Calling it again returns
 * the active backend without reloading anything; a different `prefer` switches backends.
 */
export async function initBackend(opts: InitBackendOptions = {}): Promise<ActiveBackend> {
  wasmThreadsRequested(); // a malformed setting is an error, not a silent fallback to cpu
  const forced = process.env[ENV_VAR]?.trim().toLowerCase();
  if (forced) {
    if (!isBackendName(forced)) {
      throw new Error(`${ENV_VAR}="${forced}" is not a backend; use one of ${ORDER.join(', ')}.`);
    }
    const { ok, reason } = await activate(forced);
    if (!ok) {
      const hint = forced === 'tensorflow' ? ' (install @tensorflow/tfjs-node)' : '';
      throw new Error(`${ENV_VAR}=${forced} but the ${forced} backend is not available here${hint}${reason ? `: ${reason}` : ''}.`);
    }
    return { name: forced, tf };
  }
  const order = opts.prefer ? [opts.prefer, ...ORDER.filter((n) => n !== opts.prefer)] : ORDER;
  const reasons: string[] = [];
  for (const name of order) {
    const { ok, reason } = await activate(name);
    if (ok) return { name, tf };
    if (reason) reasons.push(`${name}: ${reason}`);
  }
  throw new Error(`No TensorFlow.js backend could be started (tried ${order.join(', ')})${reasons.length ? `: ${reasons.join('; ')}` : ''}.`);
}
