import type { Command } from 'commander';
import { resumeComparisons } from '../../core/compare/queue-for-context.js';
import { createContext, type AppContext } from '../../core/context.js';
import { resolveDataDir } from '../../core/data-dir.js';
import { watchOutsideChanges } from '../../core/outside-changes.js';
import { warmServices } from '../../core/services/index.js';
import { toApiError } from '../../core/transport/dispatch.js';
import { globalOptions, numberOption } from '../run-command.js';
import { DEFAULT_PORT, type ServeFlags } from '../commands/serve.js';
import { nonLoopbackWarning } from '../serve/access.js';
import { buildRenderer, defaultRendererDir, rendererBuilt } from '../serve/renderer-build.js';
import { startServer, type RunningServer } from '../serve/server.js';

/** Runs until Ctrl-C or SIGTERM; unlike other commands it prints its JSON document once listening. */
export async function serveAction(flags: ServeFlags, cmd: Command): Promise<void> {
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
    // Labels, imports, splits and training from a terminal meanwhile show up in the open pages.
    watchOutsideChanges(ctx);
    // The engines load in the background once the page can be served, not on each view's first request.
    setImmediate(() => void warmServices());
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
