import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { tsxLoaderUrl } from '../../tsx-paths.js';
import type { TrainThroughput } from './train-throughput.js';

const run = promisify(execFile);

export interface ThreadedThroughputOptions {
  threads: number;
  size: number;
  batches: number;
  warmupBatches: number;
  signal?: AbortSignal;
}

/**
 * Training throughput of the reference CNN on the wasm backend with `threads` XNNPACK threads, with
 * and without batch norm, measured in a child process (the thread count is fixed per process).
 */
export async function measureThreadedThroughput(opts: ThreadedThroughputOptions): Promise<(TrainThroughput | null)[]> {
  const entry = fileURLToPath(new URL(`./threaded-child${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url));
  const execArgv = entry.endsWith('.ts') ? ['--import', tsxLoaderUrl()] : [];
  const { stdout } = await run(process.execPath, [...execArgv, entry, String(opts.size), String(opts.batches), String(opts.warmupBatches)], {
    env: { ...process.env, SMALLSET_WASM_THREADS: String(opts.threads), SMALLSET_TF_BACKEND: 'wasm' },
    maxBuffer: 1 << 20,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const line = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(line) as (TrainThroughput | null)[];
}
