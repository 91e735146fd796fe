import type { Command } from 'commander';
import { ApiError } from '../../shared/api/errors.js';
import { defaultPeersDir, runBench, suites, type BenchReport } from '../bench/index.js';
import { runCommand } from '../run-command.js';
import { formatTable } from '../table.js';

function formatNumber(x: number): string {
  return Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2);
}

function human(report: BenchReport): string {
  const m = report.machine;
  const table = formatTable(
    ['figure', 'ours', 'peer', 'ratio'],
    report.figures.map((f) => [
      f.name,
      `${formatNumber(f.value)} ${f.unit}`,
      f.peer ? `${formatNumber(f.peer.value)} ${f.unit}` : '—',
      f.ratio === null ? '—' : `${f.ratio.toFixed(2)}×`,
    ]),
  );
  const peers = report.figures.filter((f) => f.peer).map((f) => `  ${f.name}: peer = ${f.peer!.name}`);
  const notes = report.figures.filter((f) => f.note).map((f) => `  ${f.name}: ${f.note}`);
  return [
    `bench ${report.suite} on ${m.cpus}× ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.platform}, node ${m.node}`,
    `load average before ${m.loadBefore.join(' ')}, after ${m.loadAfter.join(' ')} (ratio: ours ÷ peer, higher is better for us)`,
    '',
    table,
    ...(peers.length ? ['', 'peers:', ...peers] : []),
    ...(notes.length ? ['', 'notes:', ...notes] : []),
  ].join('\n');
}

export async function benchAction(name: string, flags: { quick?: boolean }, cmd: Command): Promise<void> {
  await runCommand(
    cmd,
    async ({ signal }) => {
      if (name !== 'all' && !suites.some((s) => s.name === name)) {
        throw new ApiError('invalid_input', `There is no benchmark suite "${name}". Suites: ${[...suites.map((s) => s.name), 'all'].join(', ')}.`);
      }
      return runBench(name, {
        signal,
        log: (line) => process.stderr.write(`${line}\n`),
        peersDir: defaultPeersDir(),
        quick: Boolean(flags.quick),
      });
    },
    human,
  );
}
