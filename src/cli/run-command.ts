import type { Command } from 'commander';
import { ApiError } from '../shared/api/errors.js';
import { createContext, type AppContext } from '../core/context.js';
import { resolveDataDir } from '../core/data-dir.js';
import { toApiError } from '../core/transport/dispatch.js';
import { ProgressBar } from './progress.js';

export interface GlobalOptions {
  data?: string;
  json?: boolean;
}

export interface CommandEnv {
  ctx: AppContext;
  json: boolean;
  /** A terminal progress bar on stderr (silent when stderr is not a terminal or with --json). */
  progress: ProgressBar;
  /** Aborted on Ctrl-C: long work passes it on so it stops cleanly. */
  signal: AbortSignal;
}

export function globalOptions(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals() as GlobalOptions;
}

/**
 * Runs one CLI command: opens the library, wires Ctrl-C to cancel, prints the result as one JSON
 * document (--json) or as text, and turns any failure into a one-line reason and a non-zero exit.
 */
export async function runCommand<T>(
  cmd: Command,
  work: (env: CommandEnv) => Promise<T>,
  human: (result: T) => string,
  /** What --json prints of the result (default: the result itself). */
  toJson: (result: T) => unknown = (result) => result,
): Promise<void> {
  const opts = globalOptions(cmd);
  const json = Boolean(opts.json);
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\nCancelling… (Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const progress = new ProgressBar(process.stderr, !json || Boolean(process.stderr.isTTY));
  let ctx: AppContext | undefined;
  try {
    ctx = createContext(resolveDataDir(opts.data));
    const result = await work({ ctx, json, progress, signal: controller.signal });
    progress.stop();
    process.stdout.write(json ? `${JSON.stringify(toJson(result))}\n` : `${human(result)}\n`);
  } catch (err) {
    progress.stop();
    const e = toApiError(err);
    if (json) process.stdout.write(`${JSON.stringify({ error: e.toJSON() })}\n`);
    process.stderr.write(`smallset: ${e.message}\n`);
    if (e.code === 'internal' && e.details && process.env.SMALLSET_DEBUG) process.stderr.write(`${e.details}\n`);
    process.exitCode = e.code === 'cancelled' ? 130 : e.code === 'invalid_input' ? 2 : 1;
  } finally {
    process.off('SIGINT', onSigint);
    ctx?.close();
  }
}

/** Parses a numeric CLI option, naming the option in the error. */
export function numberOption(value: string | undefined, name: string, opts: { int?: boolean; min?: number; max?: number } = {}): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  const bad =
    !Number.isFinite(n) ||
    (opts.int && !Number.isInteger(n)) ||
    (opts.min !== undefined && n < opts.min) ||
    (opts.max !== undefined && n > opts.max);
  if (bad) {
    const range = [opts.min !== undefined ? `≥ ${opts.min}` : '', opts.max !== undefined ? `≤ ${opts.max}` : ''].filter(Boolean).join(' and ');
    throw new ApiError('invalid_input', `--${name} must be ${opts.int ? 'a whole number' : 'a number'}${range ? ` ${range}` : ''}, got "${value}".`);
  }
  return n;
}
