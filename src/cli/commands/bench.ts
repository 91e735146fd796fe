import type { Command } from 'commander';
import { suiteNames } from '../bench/suite-names.js';
import { lazyAction } from './lazy-action.js';

export function registerBench(program: Command): void {
  program
    .command('bench')
    .description(`Run a benchmark suite and print figures beside the peers' (${suiteNames.join(', ')}, all).`)
    .argument('<suite>', 'suite name, or all')
    .option('--quick', 'tiny sizes: checks the suite runs, figures mean nothing')
    .action(lazyAction(() => import('../actions/bench.js').then((m) => m.benchAction)));
}
