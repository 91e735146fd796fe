import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiError } from '../../shared/api/errors.js';

/** The checkout this CLI runs from (bin/smallset runs the sources through tsx). */
export const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const defaultRendererDir = path.join(projectRoot, 'out', 'renderer');

export function rendererBuilt(dir: string): boolean {
  return existsSync(path.join(dir, 'index.html'));
}

/**
 * Builds only the renderer with the project's electron-vite config (the same output `npm run
 * build:web` makes). Vite logs go to stderr at warning level so `--json` keeps stdout clean.
 */
export async function buildRenderer(log: (line: string) => void): Promise<void> {
  let tools: [typeof import('electron-vite'), typeof import('vite')];
  try {
    tools = await Promise.all([import('electron-vite'), import('vite')]);
  } catch {
    throw new ApiError(
      'unsupported',
      'The web UI is not built (out/renderer is missing) and the build tools are not installed here; run `npm run build:web` in a checkout with dev dependencies.',
    );
  }
  const [{ resolveConfig }, { build }] = tools;
  log('Building the web UI once (out/renderer)…');
  const started = Date.now();
  // The config resolves its entry paths against the working directory.
  const cwd = process.cwd();
  const nodeEnv = process.env.NODE_ENV;
  process.chdir(projectRoot);
  try {
    const resolved = await resolveConfig({ root: projectRoot, logLevel: 'warn' }, 'build', 'production');
    const renderer = resolved.config?.renderer;
    if (!renderer) throw new ApiError('internal', 'electron.vite.config.ts has no renderer section.');
    await build({ ...renderer, logLevel: 'warn' });
  } finally {
    process.chdir(cwd);
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  log(`Built the web UI in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}
