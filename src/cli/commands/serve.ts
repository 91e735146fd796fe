import type { Command } from 'commander';
import { lazyAction } from './lazy-action.js';

export const DEFAULT_PORT = 7625;

export interface ServeFlags {
  host: string;
  port: string;
  build?: boolean;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Serve Smallset Studio to a web browser (token-protected; this machine only unless --host says otherwise).')
    .option('--host <address>', 'address to listen on; anything but loopback exposes your library to the network', '127.0.0.1')
    .option('--port <n>', `port to listen on; 0 picks a free one (default ${DEFAULT_PORT})`)
    .option('--build', 'rebuild the web UI before serving')
    .action(lazyAction(() => import('../actions/serve.js').then((m) => m.serveAction)));
}
