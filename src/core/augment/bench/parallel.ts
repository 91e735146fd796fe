import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RawImage } from '../op.js';
import type { PipelineJson } from '../pipeline.js';
import type { ChainWorkerData } from './chain-worker.js';

/** A thread on a TypeScript entry registers tsx first (threads do not inherit the loader). */
function startThread(entry: URL, workerData: ChainWorkerData): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { workerData });
  const api = pathToFileURL(path.join(path.dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist', 'esm', 'api', 'index.mjs')).href;
  const boot = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(boot, { eval: true, workerData });
}

function once(worker: Worker, key: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: Record<string, unknown>) => {
      if (key in m) {
        worker.off('message', onMessage);
        resolve();
      }
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
  });
}

/** Images per second with `threads` worker threads each running `perThread` images of the pipeline. */
export async function measureParallel(pipeline: PipelineJson, images: readonly RawImage[], threads: number, perThread: number): Promise<number> {
  const entry = new URL(`./chain-worker${path.extname(new URL(import.meta.url).pathname)}`, import.meta.url);
  const workers = Array.from({ length: threads }, () =>
    startThread(entry, {
      pipeline,
      images: images.map((i) => ({ data: i.data.slice(), width: i.width, height: i.height })),
      n: perThread,
    }),
  );
  try {
    await Promise.all(workers.map((w) => once(w, 'ready')));
    const t0 = performance.now();
    const done = Promise.all(workers.map((w) => once(w, 'done')));
    for (const w of workers) w.postMessage('go');
    await done;
    return ((threads * perThread) / (performance.now() - t0)) * 1000;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
