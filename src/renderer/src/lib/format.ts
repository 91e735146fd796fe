const counts = new Intl.NumberFormat();

export function count(n: number): string {
  return counts.format(n);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** The part of an error a person asks for: its code, the engine's details, or a stack for our own bugs. */
export function errorDetails(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  const e = err as Error & { code?: string; details?: string };
  const parts: string[] = [];
  if (e.code) parts.push(`code: ${e.code}`);
  if (e.details) parts.push(e.details);
  else if (!e.code && e.stack) parts.push(e.stack);
  return parts.length ? parts.join('\n') : undefined;
}

/** Marks the job ids this page makes, so it can tell its own jobs from ones another window or a script started. */
const pageMark = `p${Math.random().toString(36).slice(2, 8)}`;

export function newJobId(kind: string): string {
  return `${kind}-${pageMark}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

export function isOwnJob(jobId: string): boolean {
  return jobId.includes(`-${pageMark}-`);
}
