// A real `smallset serve` front door in its own process (the built UI replaced by a stub folder),
// so a crash shows as the process dying. Args: <data dir> <ui dir> <token>. Prints {port} once listening.
import { createContext } from '../../../src/core/context.js';
import { startServer } from '../../../src/cli/serve/server.js';

const [dataDir, rendererDir, token] = process.argv.slice(2);
if (!dataDir || !rendererDir || !token) throw new Error('usage: serve-child <data dir> <ui dir> <token>');
const ctx = createContext(dataDir);
const server = await startServer(ctx, { host: '127.0.0.1', port: 0, rendererDir, token });
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
// The parent holds our stdin: when it dies (a test timeout kills it), stdin ends and so do we.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
process.on('SIGTERM', () => {
  void server.close().then(() => {
    ctx.close();
    process.exit(0);
  });
});
