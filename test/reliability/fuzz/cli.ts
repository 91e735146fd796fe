// The bigger fuzz run for docs/RELIABILITY.md: node --import tsx test/reliability/fuzz/cli.ts [cases per method] [seed]
import { runFuzz } from './run-fuzz.js';

const perMethod = Number(process.argv[2] ?? 200);
const seed = Number(process.argv[3] ?? 1);
const report = await runFuzz({ perMethod, seed, log: (line) => process.stderr.write(`${line}\n`) });
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
process.exitCode = report.failures.length === 0 && report.survived ? 0 : 1;
