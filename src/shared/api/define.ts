import type { z } from 'zod';

/** One API method: what it accepts and what it returns. */
export interface MethodDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
  /** One line for people reading the API (CLI help, docs, fuzz reports). */
  readonly summary: string;
}

export function method<I extends z.ZodType, O extends z.ZodType>(
  summary: string,
  input: I,
  output: O,
): MethodDef<I, O> {
  return { summary, input, output };
}
