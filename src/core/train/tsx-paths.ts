import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Files of tsx by absolute URL, so a process or thread started from TypeScript sources loads them
 * whatever the current directory is.
 */
function tsxFile(rel: string): string {
  const pkg = createRequire(import.meta.url).resolve('tsx/package.json');
  return pathToFileURL(path.join(path.dirname(pkg), rel)).href;
}

/** For `node --import <url>`. */
export const tsxLoaderUrl = (): string => tsxFile('dist/loader.mjs');

/**
 * zod's entry, to import before tsx: every module loaded after tsx registers passes through its
 * loader thread (a few ms each here), and zod is ~95 files that need no transpiling. The same URL
 * our sources resolve, so they share the one instance.
 */
const zodUrl = (): string => import.meta.resolve('zod');

/** Node flags that run a TypeScript entry: zod first, then tsx. */
export const tsxImportArgs = (): string[] => ['--import', zodUrl(), '--import', tsxLoaderUrl()];

/** The ESM API with `register()`, for threads (Node 20 does not apply `--import` to a worker's entry). */
export const tsxEsmApiUrl = (): string => tsxFile('dist/esm/api/index.mjs');

/** A worker-thread entry for `entry`: the file itself when it is JavaScript, else a bootstrap that registers tsx first. */
export function threadEntry(entry: URL): URL {
  if (!entry.pathname.endsWith('.ts')) return entry;
  const code = `import ${JSON.stringify(zodUrl())};\nimport { register } from ${JSON.stringify(tsxEsmApiUrl())};\nregister();\nawait import(${JSON.stringify(entry.href)});\n`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}
