/**
 * libvips keeps one error buffer for the whole process: when several decodes fail at once, one
 * failure can read (and clear) the messages of the others, which then say "Unknown error", or a
 * reason can carry another file's message. The import decodes in parallel, so a failed decode is
 * tried again alone — after every decode in flight has finished and before any new one starts —
 * and the reason comes from that attempt: the same for a file on every import and rescan.
 */

let inFlight = 0;
const drained: (() => void)[] = [];
/** Set while a decode runs alone; decodes that want to start wait for it. */
let aloneNow: Promise<void> | null = null;
let aloneQueue: Promise<unknown> = Promise.resolve();

async function together<T>(fn: () => Promise<T>): Promise<T> {
  while (aloneNow) await aloneNow;
  inFlight++;
  try {
    return await fn();
  } finally {
    if (--inFlight === 0) for (const wake of drained.splice(0)) wake();
  }
}

function alone<T>(fn: () => Promise<T>): Promise<T> {
  const turn = aloneQueue.then(async () => {
    let done!: () => void;
    aloneNow = new Promise<void>((resolve) => (done = resolve));
    try {
      if (inFlight > 0) await new Promise<void>((resolve) => drained.push(resolve));
      return await fn();
    } finally {
      aloneNow = null;
      done();
    }
  });
  aloneQueue = turn.catch(() => undefined);
  return turn;
}

/**
 * Runs a libvips decode alongside others; if it fails, runs it once more with nothing else
 * decoding and throws that attempt's error (or returns its result, should it succeed alone).
 */
export async function decodeWithStableError<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await together(fn);
  } catch {
    return alone(fn);
  }
}

/** Decodes in flight (for tests). */
export function decodesInFlight(): number {
  return inFlight;
}
