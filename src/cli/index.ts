import { Command } from 'commander';
import { APP_VERSION } from '../core/version.js';
import { commands } from './commands/index.js';

const program = new Command()
  .name('smallset')
  .description('Smallset Studio: train image classifiers on small datasets, see what closes the gap.')
  .version(APP_VERSION)
  .option('--data <dir>', 'data folder (default: $SMALLSET_DATA or the platform data folder)')
  .option('--json', 'print exactly one JSON document on stdout')
  .showHelpAfterError()
  .configureOutput({ outputError: (str, write) => write(str) });

for (const register of commands) register(program);

await program.parseAsync(process.argv);
