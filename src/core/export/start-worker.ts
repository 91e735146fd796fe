import { createHash } from 'node:crypto';
import { promises as fs, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

interface EsbuildLike {
  build?(options: Record<string, unknown>): Promise<{ outputFiles: { text: string }[] }>;
  default?: EsbuildLike;
}

const tsxPackage = () => createRequire(import.meta.url).resolve('tsx/package.json');

/** Packages bundled into the worker: pure JavaScript spread over many ES modules (zod: ~100 ms less CPU per thread start as one module). */
const INLINED = new Set(['zod']);

/** The project's dependencies the bundle leaves to Node (native addons such as sharp, and the rest). */
function externals(root: string): string[] {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
  const names = ['dependencies', 'optionalDependencies', 'devDependencies'].flatMap((k) => Object.keys(pkg[k] ?? {}));
  return names.filter((n) => !INLINED.has(n));
}

/**
 * In a checkout the sources are TypeScript run through tsx. A worker would have to load every module
 * through tsx's hooks again (about a second per thread), so the entry is bundled once per process
 * with the esbuild that tsx itself runs on, into node_modules/.cache where `sharp` resolves.
 */
async function bundle(entry: URL): Promise<URL> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
  const esbuildPath = createRequire(tsxPackage()).resolve('esbuild');
  const esbuild = (await import(pathToFileURL(esbuildPath).href)) as EsbuildLike;
  const build = esbuild.build ?? esbuild.default?.build;
  if (!build) throw new Error('esbuild has no build function');
  const result = await build({
    entryPoints: [fileURLToPath(entry)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: externals(root),
    write: false,
    logLevel: 'silent',
  });
  const text = result.outputFiles[0]!.text;
  const dir = path.join(root, 'node_modules', '.cache', 'smallset-workers');
  const name = `${path.basename(entry.pathname, '.ts')}-${createHash('sha1').update(text).digest('hex').slice(0, 16)}.mjs`;
  const file = path.join(dir, name);
  const exists = await fs.stat(file).then(
    () => true,
    () => false,
  );
  if (!exists) {
    await fs.mkdir(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, text);
    await fs.rename(tmp, file);
  }
  return pathToFileURL(file);
}

const bundles = new Map<string, Promise<URL>>();

/** tsx's ESM register API by absolute URL (its CommonJS build cannot register ESM hooks). */
function tsxRegisterUrl(): string {
  return pathToFileURL(path.join(path.dirname(tsxPackage()), 'dist', 'esm', 'api', 'index.mjs')).href;
}

/**
 * Starts a worker thread on a module. Built JavaScript starts as it is; TypeScript is bundled
 * first, or, when that is impossible, loaded through tsx inside the thread.
 */
export async function startWorker(entry: URL, workerData: unknown): Promise<Worker> {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { workerData });
  let pending = bundles.get(entry.href);
  if (!pending) bundles.set(entry.href, (pending = bundle(entry)));
  try {
    return new Worker(await pending, { workerData });
  } catch {
    const boot = `import(${JSON.stringify(tsxRegisterUrl())}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
    return new Worker(boot, { eval: true, workerData });
  }
}
