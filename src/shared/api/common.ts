import { z } from 'zod';

export const id = z.number().int().positive();
/** Client-chosen id that ties progress events and cancel to one long call. */
export const jobId = z.string().min(1).max(100).regex(/^[\w.-]+$/, 'use letters, digits, _ . -');
export const splitName = z.enum(['train', 'val', 'test']);
export type SplitName = z.infer<typeof splitName>;
export const counts = z.record(z.string(), z.number().int().nonnegative());
export const fileError = z.object({ path: z.string(), reason: z.string() });
export type FileError = z.infer<typeof fileError>;
export const ok = z.object({ ok: z.literal(true) });
