import { api, isMethodName, type MethodName, type Output } from '../../shared/api/index.js';
import { ApiError, describeIssues } from '../../shared/api/errors.js';
import type { AppContext } from '../context.js';
import { serviceFor } from '../services/index.js';
import type { Handler } from '../services/types.js';

/** Socket errors of a connection to another machine (a download): not the input's fault, not our bug. */
const NETWORK_CODES = ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET'];

function networkError(err: unknown): ApiError | null {
  const e = err as { code?: unknown; hostname?: unknown; address?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object' || typeof e.code !== 'string' || !NETWORK_CODES.includes(e.code)) return null;
  const host = typeof e.hostname === 'string' ? e.hostname : typeof e.address === 'string' ? e.address : 'the server';
  return new ApiError('network_error', `Could not reach ${host}: ${String(e.message)}`);
}

/** Anything thrown that is not an ApiError becomes one; only our own bugs become `internal`. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string') {
    const e = err as NodeJS.ErrnoException;
    if (['ENOENT', 'EACCES', 'EPERM', 'ENOSPC', 'EROFS', 'EISDIR', 'ENOTDIR', 'ELOOP', 'EEXIST'].includes(e.code!)) {
      return new ApiError('io_error', e.message);
    }
  }
  const network = networkError(err) ?? (err instanceof Error ? networkError(err.cause) : null);
  if (network) return network;
  const message = err instanceof Error ? err.message : String(err);
  return new ApiError('internal', `Something went wrong inside Smallset Studio: ${message}`, err instanceof Error ? err.stack : undefined);
}

/** validate → service → validated result. The single entry every transport goes through. */
export async function dispatch(ctx: AppContext, method: string, rawInput: unknown): Promise<unknown> {
  if (!isMethodName(method)) throw new ApiError('unknown_method', `There is no API method "${method}".`);
  const def = api[method];
  const parsed = def.input.safeParse(rawInput ?? {});
  if (!parsed.success) throw new ApiError('invalid_input', `${method}: ${describeIssues(parsed.error.issues)}`);
  let result: Output<MethodName>;
  try {
    const handler = (await serviceFor(method)) as Handler<MethodName>;
    result = await handler(parsed.data as never, ctx);
  } catch (err) {
    throw toApiError(err);
  }
  const checked = def.output.safeParse(result);
  if (!checked.success) {
    throw new ApiError('internal', `${method} returned a malformed result: ${describeIssues(checked.error.issues)}`);
  }
  return checked.data;
}
