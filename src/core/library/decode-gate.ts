/**
 * libvips keeps one error buffer for the whole process: when several decodes fail at once, one
 * failure can read (and clear) the messages of the others, which then say "Unknown error", or a
 * reason can carry another file's message. The import decodes in parallel, so a failed decode is
 * tried again alone — after every libvips call in flight has finished and before any new one
 * starts — and the reason comes from that attempt: the same for a file on every import and rescan.
 * Every sharp call finishing clears that buffer, so the import's other libvips work (thumbnail
 * encodes) runs through `alongsideDecodes` too: nothing can clear the buffer of the lone attempt.
 */

let inFlight = 0;
const drained: (() => void)[] = [];
/** Set while a decode runs alone; decodes that want to start wait for it. */
let aloneNow: Promise<void> | null = null;
let aloneQueue: Promise<unknown> = Promise.resolve();

/** Runs a libvips call that must not overlap a decode running alone (see above). */
export async function alongsideDecodes<T>(fn: () => Promise<T>): Promise<T> {
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
    return await alongsideDecodes(fn);
  } catch {
    return alone(() => withoutEmptyMessage(fn));
  }
}

const EMPTY_MESSAGE = /^(Unknown error)?$/;

/** Should libvips still hand back no message (sharp's "Unknown error"), asks twice more. */
async function withoutEmptyMessage<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= 3 || !(err instanceof Error) || !EMPTY_MESSAGE.test(err.message)) throw err;
    }
  }
}

/** Decodes in flight (for tests). */
export function decodesInFlight(): number {
  return inFlight;
}
