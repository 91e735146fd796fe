import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const boundsSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(400).max(20_000),
  height: z.number().int().min(300).max(20_000),
  maximized: z.boolean().default(false),
});
export type WindowBounds = z.infer<typeof boundsSchema>;

interface Area {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function stateFile(dataDir: string): string {
  return path.join(dataDir, 'window-state.json');
}

/** Last session's window, if it still lands on a screen (a monitor may have been unplugged). */
export function loadBounds(dataDir: string, screens: readonly Area[]): WindowBounds | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(stateFile(dataDir), 'utf8'));
  } catch {
    return undefined;
  }
  const parsed = boundsSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const b = parsed.data;
  const visible = screens.some(
    (s) => b.x < s.x + s.width - 80 && b.x + b.width > s.x + 80 && b.y >= s.y - 10 && b.y < s.y + s.height - 80,
  );
  return visible ? b : undefined;
}

export function saveBounds(dataDir: string, bounds: WindowBounds): void {
  try {
    writeFileSync(stateFile(dataDir), `${JSON.stringify(bounds)}\n`);
  } catch {
    // A read-only data folder costs the window position, nothing more.
  }
}
