// Runs npm scripts side by side (at most one per core, two at least) and fails if any of them
// fails. Each script's output is held back and printed in one piece when it ends, so the log reads
// like the scripts ran one after another. `npm test` uses it for its independent checks
// (lint, typecheck, the web build): each is mostly single-threaded, so on a 2-core CI machine
// running them in pairs saves about half of their time.
import { spawn } from 'node:child_process';
import os from 'node:os';

const scripts = process.argv.slice(2);
if (scripts.length === 0) {
  console.error('usage: node scripts/run-parallel.mjs <npm script> [<npm script> …]');
  process.exit(2);
}
const slots = Math.max(2, Math.min(scripts.length, os.availableParallelism()));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** @returns {Promise<{ script: string, code: number, seconds: number, output: Buffer[] }>} */
function run(script) {
  const started = Date.now();
  const output = [];
  return new Promise((resolve) => {
    const child = spawn(npm, ['run', script], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '0' } });
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    child.on('error', (err) => output.push(Buffer.from(`${err.message}\n`)));
    child.on('close', (code, signal) => resolve({ script, code: code ?? (signal ? 1 : 0), seconds: (Date.now() - started) / 1000, output }));
  });
}

const queue = [...scripts];
const failed = [];
async function lane() {
  for (let script = queue.shift(); script !== undefined; script = queue.shift()) {
    const result = await run(script);
    for (const chunk of result.output) process.stdout.write(chunk);
    const verdict = result.code === 0 ? 'passed' : `FAILED (exit ${result.code})`;
    process.stdout.write(`run-parallel: ${result.script} ${verdict} in ${result.seconds.toFixed(1)} s\n`);
    if (result.code !== 0) failed.push(result.script);
  }
}
await Promise.all(Array.from({ length: slots }, lane));
if (failed.length) {
  console.error(`run-parallel: failed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
