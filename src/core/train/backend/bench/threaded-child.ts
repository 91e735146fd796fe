// Entry of a child process started by threaded-throughput.ts: the wasm thread count is fixed when the
// backend first loads, so each thread count needs a process of its own. Prints one JSON line.
import { measureTrainThroughput, type TrainThroughput } from './train-throughput.js';

const [size, batches, warmupBatches] = process.argv.slice(2).map(Number);
const results: (TrainThroughput | null)[] = [];
for (const batchNorm of [false, true]) {
  results.push(await measureTrainThroughput({ backend: 'wasm', size: size ?? 64, batchNorm, batches: batches ?? 20, warmupBatches: warmupBatches ?? 3 }));
}
process.stdout.write(`${JSON.stringify(results)}\n`);
