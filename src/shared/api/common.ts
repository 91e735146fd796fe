import { z } from 'zod';

export const id = z.number().int().positive();
/** Client-chosen id that ties progress events and cancel to one long call. */
export const jobId = z.string().min(1).max(100).regex(/^[\w.-]+$/, 'use letters, digits, _ . -');
export const splitName = z.enum(['train', 'val', 'test']);
export type SplitName = z.infer<typeof splitName>;
export const counts = z.record(z.string(), z.number().int().nonnegative());
const utf8 = new TextEncoder();
/** A file or folder path someone typed: no file system takes a NUL byte or a path this long. */
export const localPath = z
  .string()
  .min(1, 'name a file or folder')
  .max(4096, 'a path is at most 4096 characters')
  .refine((p) => !p.includes('\0'), 'a path cannot contain a NUL character')
  .refine((p) => p.split(/[\\/]/).every((part) => utf8.encode(part).length <= 255), 'a file or folder name is at most 255 bytes');
export const fileError = z.object({ path: z.string(), reason: z.string() });
export type FileError = z.infer<typeof fileError>;
export const ok = z.object({ ok: z.literal(true) });
