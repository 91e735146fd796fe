import type { Command } from 'commander';
import { resumeComparisons } from '../../core/compare/queue-for-context.js';
import { createContext, type AppContext } from '../../core/context.js';
import { resolveDataDir } from '../../core/data-dir.js';
import { toApiError } from '../../core/transport/dispatch.js';
import { globalOptions, numberOption } from '../run-command.js';
import { nonLoopbackWarning } from '../serve/access.js';
import { buildRenderer, defaultRendererDir, rendererBuilt } from '../serve/renderer-build.js';
import { startServer, type RunningServer } from '../serve/server.js';

export const DEFAULT_PORT = 7625;

interface ServeFlags {
  host: string;
  port: string;
  build?: boolean;
}

/** Runs until Ctrl-C or SIGTERM; unlike other commands it prints its JSON document once listening. */
async function serve(cmd: Command, flags: ServeFlags): Promise<void> {
  const { data, json } = globalOptions(cmd);
  let ctx: AppContext | undefined;
  let server: RunningServer | undefined;
  let port = DEFAULT_PORT;
  try {
    port = numberOption(flags.port, 'port', { int: true, min: 0, max: 65535 }) ?? DEFAULT_PORT;
    const log = (line: string) => process.stderr.write(`${line}\n`);
    if (flags.build || !rendererBuilt(defaultRendererDir)) await buildRenderer(log);
    ctx = createContext(resolveDataDir(data));
    server = await startServer(ctx, { host: flags.host, port, rendererDir: defaultRendererDir });
    // A comparison the last session left unfinished carries on (pending runs start, interrupted ones rerun).
    resumeComparisons(ctx);
  } catch (err) {
    ctx?.close();
    const e = toApiError(err);
    const inUse = (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
    const message = inUse ? `Port ${port} is already in use; pass --port 0 to pick a free one.` : e.message;
    if (json) process.stdout.write(`${JSON.stringify({ error: { code: inUse ? 'conflict' : e.code, message } })}\n`);
    process.stderr.write(`smallset: ${message}\n`);
    process.exitCode = 1;
    return;
  }
  const warning = nonLoopbackWarning(flags.host);
  if (warning) process.stderr.write(warning);
  if (json) process.stdout.write(`${JSON.stringify({ url: server.url, host: server.host, port: server.port })}\n`);
  else process.stdout.write(`Smallset Studio: ${server.url}\nData: ${ctx.dataDir}   (Ctrl-C to stop)\n`);

  const running = server;
  const openCtx = ctx;
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void running.close().then(() => {
        openCtx.close();
        resolve();
      });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Serve Smallset Studio to a web browser (token-protected; this machine only unless --host says otherwise).')
    .option('--host <address>', 'address to listen on; anything but loopback exposes your library to the network', '127.0.0.1')
    .option('--port <n>', `port to listen on; 0 picks a free one (default ${DEFAULT_PORT})`)
    .option('--build', 'rebuild the web UI before serving')
    .action(async (flags: ServeFlags, cmd: Command) => serve(cmd, flags));
}
