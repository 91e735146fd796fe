import { api, isMethodName, type MethodName, type Output } from '../../shared/api/index.js';
import { ApiError, describeIssues } from '../../shared/api/errors.js';
import type { AppContext } from '../context.js';
import { services } from '../services/index.js';
import type { Handler } from '../services/types.js';

/** Anything thrown that is not an ApiError becomes one; only our own bugs become `internal`. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string') {
    const e = err as NodeJS.ErrnoException;
    if (['ENOENT', 'EACCES', 'EPERM', 'ENOSPC', 'EROFS', 'EISDIR', 'ENOTDIR', 'ELOOP', 'EEXIST'].includes(e.code!)) {
      return new ApiError('io_error', e.message);
    }
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ApiError('internal', `Something went wrong inside Smallset Studio: ${message}`, err instanceof Error ? err.stack : undefined);
}

/** validate → service → validated result. The single entry every transport goes through. */
export async function dispatch(ctx: AppContext, method: string, rawInput: unknown): Promise<unknown> {
  if (!isMethodName(method)) throw new ApiError('unknown_method', `There is no API method "${method}".`);
  const def = api[method];
  const parsed = def.input.safeParse(rawInput ?? {});
  if (!parsed.success) throw new ApiError('invalid_input', `${method}: ${describeIssues(parsed.error.issues)}`);
  const handler = services[method] as Handler<MethodName>;
  let result: Output<MethodName>;
  try {
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
