import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../../shared/api/errors.js';

export interface DownloadProgress {
  file: string;
  /** Bytes of all files so far. */
  done: number;
  /** Bytes of the files known so far (model.json first, then its weights); null until a size is known. */
  total: number | null;
}

export interface ExpectedFile {
  bytes?: number;
  sha256?: string;
}

export interface DownloadOptions {
  /** Checked after each file is complete: a wrong size or hash fails the whole download. */
  expected?: Record<string, ExpectedFile>;
  onProgress?: (p: DownloadProgress) => void;
  signal?: AbortSignal;
  /** Attempts to continue a file after a cut connection (HTTP Range), each after `retryDelayMs`. */
  retries?: number;
  retryDelayMs?: number;
}

/** An HTTP answer that retrying will not change (404, 403, …). */
class HttpRefusal extends ApiError {}

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host name not found (no network or DNS?)',
  EAI_AGAIN: 'host name lookup failed (no network or DNS?)',
  ETIMEDOUT: 'timed out',
  UND_ERR_CONNECT_TIMEOUT: 'timed out while connecting',
  ENETUNREACH: 'network unreachable',
  EHOSTUNREACH: 'host unreachable',
};

/** Why fetch failed, in words: undici wraps the socket's error as the cause of "fetch failed". */
function networkReason(err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  const code = (cause as { code?: unknown })?.code;
  const message = cause instanceof Error ? cause.message : String(cause);
  const words = typeof code === 'string' ? NETWORK_REASONS[code] : undefined;
  return words ? `${words} (${message})` : message;
}

class Tally {
  done = 0;
  total = 0;
  known = true;
  constructor(private readonly onProgress?: (p: DownloadProgress) => void) {}
  report(file: string): void {
    this.onProgress?.({ file, done: this.done, total: this.known ? this.total : null });
  }
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

async function hashOf(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * One file, continued with a Range request after a cut connection. A server that ignores Range
 * (200 instead of 206) sends the whole file again, which then replaces what was there.
 */
async function fetchFile(url: string, dest: string, name: string, tally: Tally, opts: DownloadOptions): Promise<void> {
  const retries = opts.retries ?? 3;
  let sizeCounted = false;
  let lastError: unknown = null;
  /** Whether the last attempt got an answer (then its failure is a cut connection, not an unreachable host). */
  let answered = false;
  for (let attempt = 0; attempt <= retries; attempt++) {
    opts.signal?.throwIfAborted();
    if (attempt > 0) await new Promise((r) => setTimeout(r, opts.retryDelayMs ?? 500));
    const have = await sizeOf(dest);
    answered = false;
    try {
      const res = await fetch(url, { headers: have > 0 ? { Range: `bytes=${have}-` } : {}, ...(opts.signal ? { signal: opts.signal } : {}) });
      answered = true;
      if (res.status === 416 && have > 0) return; // Already complete.
      if (!res.ok || !res.body) throw new HttpRefusal('network_error', `Download of ${url} failed: HTTP ${res.status} ${res.statusText}. Nothing was kept.`);
      const resumed = res.status === 206 && have > 0;
      const length = Number(res.headers.get('content-length'));
      const fileTotal = Number.isFinite(length) && res.headers.has('content-length') ? length + (resumed ? have : 0) : null;
      if (!sizeCounted) {
        if (fileTotal === null) tally.known = false;
        else tally.total += fileTotal;
        sizeCounted = true;
      }
      if (!resumed && have > 0) tally.done -= have;
      const out = createWriteStream(dest, { flags: resumed ? 'a' : 'w' });
      try {
        for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
          if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
          tally.done += chunk.byteLength;
          tally.report(name);
        }
      } finally {
        await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
      }
      const got = await sizeOf(dest);
      if (fileTotal !== null && got < fileTotal) throw new Error(`connection closed after ${got} of ${fileTotal} bytes`);
      return;
    } catch (err) {
      if (opts.signal?.aborted) throw new ApiError('cancelled', 'The download was cancelled.');
      if (err instanceof HttpRefusal) throw err;
      lastError = err;
    }
  }
  const host = new URL(url).host;
  if (answered) {
    throw new ApiError('network_error', `Download of ${url} failed after ${retries + 1} attempts: the connection to ${host} was cut (${networkReason(lastError)}). Nothing was kept; try again.`);
  }
  throw new ApiError('network_error', `Could not reach ${host}: ${networkReason(lastError)}. Download of ${url} failed after ${retries + 1} attempts; nothing was kept. Check the network connection and try again.`);
}

async function check(file: string, name: string, expected: ExpectedFile | undefined): Promise<void> {
  if (!expected) return;
  const size = await sizeOf(file);
  if (expected.bytes !== undefined && size !== expected.bytes) {
    throw new ApiError('io_error', `Downloaded ${name} has ${size} bytes, ${expected.bytes} expected; the download is damaged and was not kept.`);
  }
  if (expected.sha256 !== undefined) {
    const got = await hashOf(file);
    if (got !== expected.sha256.toLowerCase()) {
      throw new ApiError('io_error', `Downloaded ${name} has sha256 ${got}, ${expected.sha256} expected; the download is damaged or changed and was not kept.`);
    }
  }
}

/**
 * Downloads a TensorFlow.js model (model.json, then each weight file its manifest names, relative
 * to it) into `dir`. Throws on a cut connection that cannot be continued, a wrong size or hash; the
 * caller deletes `dir` then, so no partial files are left.
 */
export async function downloadTfjsModel(modelUrl: string, dir: string, opts: DownloadOptions = {}): Promise<string[]> {
  const tally = new Tally(opts.onProgress);
  const modelJson = path.join(dir, 'model.json');
  await fetchFile(modelUrl, modelJson, 'model.json', tally, opts);
  await check(modelJson, 'model.json', opts.expected?.['model.json']);
  let manifest: { paths: string[] }[];
  try {
    manifest = (JSON.parse(await readFile(modelJson, 'utf8')) as { weightsManifest?: { paths: string[] }[] }).weightsManifest ?? [];
  } catch (err) {
    throw new ApiError('io_error', `The model.json at ${modelUrl} is not valid JSON: ${(err as Error).message}`);
  }
  const files = [...new Set(manifest.flatMap((g) => g.paths).map((p) => path.posix.normalize(p)))];
  for (const f of files) {
    if (f.includes('/') || f.includes('\\') || f.startsWith('..')) throw new ApiError('io_error', `The model at ${modelUrl} names an unsafe weight file "${f}".`);
  }
  for (const f of files) {
    const dest = path.join(dir, f);
    await fetchFile(new URL(f, modelUrl).toString(), dest, f, tally, opts);
    await check(dest, f, opts.expected?.[f]);
  }
  tally.report(files.at(-1) ?? 'model.json');
  return ['model.json', ...files];
}

export async function removeQuietly(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
