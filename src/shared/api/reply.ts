import { z } from 'zod';
import { apiErrorSchema, type ApiErrorShape } from './errors.js';

/**
 * How one call's outcome crosses a transport (HTTP body, IPC return value). Errors travel as data
 * so code and message survive every hop; Electron, for one, flattens thrown errors to a string.
 */
export type CallReply = { ok: true; result: unknown } | { ok: false; error: ApiErrorShape };

export const callReplySchema = z.union([
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({ ok: z.literal(false), error: apiErrorSchema }),
]);
