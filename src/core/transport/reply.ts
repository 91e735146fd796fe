import type { CallReply } from '../../shared/api/reply.js';
import type { AppContext } from '../context.js';
import { dispatch, toApiError } from './dispatch.js';

/**
 * dispatch, with the outcome as a reply any transport can send as is. Our own bugs (`internal`)
 * are logged here with their stack; the client only gets code and message.
 */
export async function dispatchReply(
  ctx: AppContext,
  method: string,
  input: unknown,
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<CallReply> {
  try {
    return { ok: true, result: await dispatch(ctx, method, input) };
  } catch (err) {
    const e = toApiError(err);
    if (e.code === 'internal') log(`smallset: ${method} failed: ${e.details ?? e.message}`);
    return { ok: false, error: { code: e.code, message: e.message } };
  }
}
